using System.Runtime.CompilerServices;
using System.Text;
using Inference.Plugins.Sdk;

namespace Inference.Plugins.Managed.Tests;

public sealed class ManagedPluginTests
{
    private static readonly PluginContext Context = new(AppContext.BaseDirectory, new Dictionary<string, string> { ["greeting"] = "hi " }, new Dictionary<string, string>(), new NoServices());

    [Fact]
    public async Task APluginRunsInItsOwnContextWithTheHostsSdk()
    {
        var plugin = ManagedPlugin.Load(EchoPath(), "EchoPlugin.Echo");
        await plugin.Instance.InitAsync(Context, CancellationToken.None);

        var result = await plugin.Instance.ExecuteAsync(Request("hello", ("suffix", "!")), CancellationToken.None);

        Assert.Equal("hi HELLO!", Encoding.UTF8.GetString(Assert.Single(result.Data).Data.Span));
        var pluginType = plugin.Instance.GetType();
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(pluginType.Assembly));
        Assert.Same(typeof(IEnginePlugin).Assembly, pluginType.GetInterfaces().Single(i => i.Name == nameof(IEnginePlugin)).Assembly);
        await plugin.UnloadAsync();
    }

    [Fact]
    public async Task PluginErrorsCarryTheirCode()
    {
        var plugin = ManagedPlugin.Load(EchoPath(), "EchoPlugin.Echo");

        var e = await Assert.ThrowsAsync<PluginException>(() => plugin.Instance.ExecuteAsync(Request(""), CancellationToken.None).AsTask());

        Assert.Equal(10001, e.Code);
        Assert.Equal("ECHO_ERROR_EMPTY_TEXT", plugin.Instance.ErrorText(e.Code));
        await plugin.UnloadAsync();
    }

    [Fact]
    public async Task SessionsStreamChunksThenTheEnd()
    {
        var plugin = ManagedPlugin.Load(EchoPath(), "EchoPlugin.Echo");
        await using (var session = plugin.Instance.CreateSession(new Dictionary<string, object?>(), []))
        {
            await session.WriteAsync(Chunk("ab", DataStatus.Begin), CancellationToken.None);
            await session.WriteAsync(Chunk("cd", DataStatus.End), CancellationToken.None);

            var results = new List<PluginData>();
            await foreach (var item in session.ReadAllAsync(CancellationToken.None))
            {
                results.Add(item);
            }

            Assert.Equal(["AB", "CD", "ABCD"], results.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
            Assert.Equal(DataStatus.End, results[^1].Status);
        }

        await plugin.UnloadAsync();
    }

    [Fact]
    public async Task UnloadingFreesThePluginsContext()
    {
        var weak = await LoadUseAndUnload();

        for (var i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(10);
        }

        Assert.False(weak.IsAlive, "the unloaded plugin's load context was not collected");
    }

    [Fact]
    public void AMissingTypeIsNamedWithTheTypesThatExist()
    {
        var e = Assert.Throws<TypeLoadException>(() => ManagedPlugin.Load(EchoPath(), "EchoPlugin.Nope"));

        Assert.Contains("EchoPlugin.Nope", e.Message, StringComparison.Ordinal);
        Assert.Contains("EchoPlugin.Echo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATypeThatIsNoPluginIsRefused()
    {
        var e = Assert.Throws<TypeLoadException>(() => ManagedPlugin.Load(typeof(ManagedPluginTests).Assembly.Location, typeof(ManagedPluginTests).FullName!));

        Assert.Contains(nameof(IEnginePlugin), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingAssemblyIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ManagedPlugin.Load("/no/such/plugin.dll", "X"));

        Assert.Contains("/no/such/plugin.dll", e.Message, StringComparison.Ordinal);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> LoadUseAndUnload()
    {
        var plugin = ManagedPlugin.Load(EchoPath(), "EchoPlugin.Echo");
        await plugin.Instance.InitAsync(Context, CancellationToken.None);
        _ = await plugin.Instance.ExecuteAsync(Request("x"), CancellationToken.None);
        return await plugin.UnloadAsync();
    }

    private static PluginRequest Request(string text, params (string Name, object? Value)[] parameters) =>
        new("r", parameters.ToDictionary(p => p.Name, p => p.Value), new Dictionary<string, PluginData> { ["text"] = Chunk(text, DataStatus.Once) }, new Dictionary<string, string?>(), []);

    private static PluginData Chunk(string text, DataStatus status) => new("text", "utf8", status, Encoding.UTF8.GetBytes(text));

    /// <summary>The test plugin's build output: same configuration as this test assembly.</summary>
    private static string EchoPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var framework = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var testsRoot = baseDir.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(testsRoot, "TestPlugins", "EchoPlugin", "bin", configuration, framework, "EchoPlugin.dll");
    }

    private sealed class NoServices : IPluginServices
    {
        public System.Buffers.ArrayPool<byte> Buffers => System.Buffers.ArrayPool<byte>.Shared;

        public IPluginModel OpenModel(string relativePath) => throw new NotSupportedException();
    }
}
