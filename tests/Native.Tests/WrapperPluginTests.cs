using System.Text;

namespace Inference.Native.Tests;

[Collection(SamplePluginCollection.Name)]
public sealed class WrapperPluginTests(SamplePluginFixture fixture)
{
    private static readonly Dictionary<string, string> NoParameters = [];

    [Fact]
    public void VersionAndOptionalExportsAreRead()
    {
        Assert.Equal("text_wrapper 1.0.0", fixture.Plugin.Version);
        Assert.True(fixture.Plugin.SupportsRead);
        Assert.True(fixture.Plugin.SupportsExecAsync);
        Assert.True(fixture.Plugin.SupportsResources);
    }

    [Theory]
    [InlineData("upper", "Hello World", ">HELLO WORLD")]
    [InlineData("lower", "Hello World", ">hello world")]
    [InlineData("reverse", "abc", ">cba")]
    public void ExecTransformsTheText(string mode, string input, string expected)
    {
        var results = fixture.Plugin.Exec("t1", new Dictionary<string, string> { ["mode"] = mode }, [Text(input, WrapperDataStatus.Once)]);

        var result = Assert.Single(results);
        Assert.Equal("result", result.Key);
        Assert.Equal(WrapperDataStatus.Once, result.Status);
        Assert.Equal(expected, Encoding.UTF8.GetString(result.Data.Span));
    }

    [Fact]
    public void PluginErrorsCarryTheirCodeAndTheirOwnText()
    {
        var empty = Assert.Throws<WrapperException>(() => fixture.Plugin.Exec("t2", NoParameters, [Text("", WrapperDataStatus.Once)]));
        Assert.Equal(20002, empty.Code);
        Assert.Equal("wrapperExec", empty.Function);
        Assert.Contains("SAMPLE_ERROR_EMPTY_TEXT", empty.Message, StringComparison.Ordinal);

        var mode = Assert.Throws<WrapperException>(() => fixture.Plugin.Exec("t3", new Dictionary<string, string> { ["mode"] = "sideways" }, [Text("x", WrapperDataStatus.Once)]));
        Assert.Equal(20004, mode.Code);
        Assert.Contains("upper, lower or reverse", mode.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PersonalizationResourcesAreAppliedByIdAndUnloaded()
    {
        fixture.Plugin.LoadResource(7, new WrapperData("per", Encoding.UTF8.GetBytes("+res"), WrapperDataType.Personalization, WrapperDataStatus.Once));

        var with = fixture.Plugin.Exec("t4", NoParameters, [Text("a", WrapperDataStatus.Once)], [7]);
        Assert.Equal(">A+res", Encoding.UTF8.GetString(Assert.Single(with).Data.Span));

        fixture.Plugin.UnloadResource(7);
        var e = Assert.Throws<WrapperException>(() => fixture.Plugin.Exec("t5", NoParameters, [Text("a", WrapperDataStatus.Once)], [7]));
        Assert.Equal(20006, e.Code);
    }

    [Fact]
    public async Task ExecAsyncDeliversThroughTheCallback()
    {
        var results = await fixture.Plugin.ExecAsync("async-1", new Dictionary<string, string> { ["mode"] = "lower" }, [Text("ASYNC", WrapperDataStatus.Once)], TimeSpan.FromSeconds(10));

        Assert.Equal(">async", Encoding.UTF8.GetString(Assert.Single(results).Data.Span));
    }

    [Fact]
    public async Task ExecAsyncErrorsFailTheTask()
    {
        var e = await Assert.ThrowsAsync<WrapperException>(() => fixture.Plugin.ExecAsync("async-2", NoParameters, [Text("", WrapperDataStatus.Once)], TimeSpan.FromSeconds(10)));

        Assert.Equal(20002, e.Code);
    }

    [Fact]
    public void ConcurrentOneShotCallsEachGetTheirOwnResult()
    {
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var text = $"call number {i}";
            var result = fixture.Plugin.Exec($"c{i}", NoParameters, [Text(text, WrapperDataStatus.Once)]);
            Assert.Equal(">" + text.ToUpperInvariant(), Encoding.UTF8.GetString(Assert.Single(result).Data.Span));
        });
    }

    [Fact]
    public void ALibraryWithoutTheAbiIsRefusedNamingWhatIsMissing()
    {
        var notAPlugin = Directory.GetFiles("/usr/lib/x86_64-linux-gnu", "libz.so.1*").FirstOrDefault()
            ?? Directory.GetFiles("/lib/x86_64-linux-gnu", "libz.so.1*").First();

        var e = Assert.Throws<EntryPointNotFoundException>(() => WrapperPlugin.Load(notAPlugin));

        Assert.Contains("wrapperInit", e.Message, StringComparison.Ordinal);
        Assert.Contains("wrapperExec", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => WrapperPlugin.Load("/no/such/libwrapper.so"));

        Assert.Contains("/no/such/libwrapper.so", e.Message, StringComparison.Ordinal);
    }

    internal static WrapperData Text(string text, WrapperDataStatus status) =>
        new("text", Encoding.UTF8.GetBytes(text), WrapperDataType.Text, status, new Dictionary<string, string> { ["encoding"] = "utf8" });
}
