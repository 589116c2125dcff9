using Inference.Cli.Scaffolding;
using Inference.Packaging.Manifest;

namespace Inference.Cli.Tests;

/// <summary><c>inference new</c>: the files each kind gets, a valid manifest naming the service, and refusals.</summary>
public sealed class NewCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("onnx", new[] { ".gitignore", "manifest.yaml", "model/model.onnx", "tests/three_samples.raw" })]
    [InlineData("managed", new[] { ".gitignore", "manifest.yaml", "model/model.onnx", "sdk/Inference.Plugins.Sdk.dll", "src/SpeechGain.csproj", "src/SpeechGainPlugin.cs" })]
    [InlineData("native", new[] { ".gitignore", "manifest.yaml", "src/CMakeLists.txt", "src/include/aiges_wrapper.h", "src/wrapper.c" })]
    public async Task EachKindGetsItsFilesAndAValidManifestForTheService(string kind, string[] expected)
    {
        var folder = temp["plugin"];

        var (exitCode, output) = await CliRun.RunAsync("new", kind, "speech_gain", "-o", folder);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), files);
        var read = ManifestReader.ReadFile(Path.Combine(folder, "manifest.yaml"));
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        Assert.Equal("speech_gain", read.Manifest!.Service.Id);
        Assert.Equal(Enum.Parse<EngineKind>(kind, ignoreCase: true), read.Manifest.Engine.Kind);
        Assert.NotEmpty(read.Manifest.Tests);
        Assert.Contains("created the " + kind + " plugin 'speech_gain'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NativeScaffoldsCarryTheHostsAbiHeader()
    {
        var folder = temp["plugin"];

        await CliRun.RunAsync("new", "native", "upper", "-o", folder);

        var header = Path.Combine(RepoRoot(), "native", "include", "aiges_wrapper.h");
        Assert.Equal(File.ReadAllBytes(header), File.ReadAllBytes(Path.Combine(folder, "src", "include", "aiges_wrapper.h")));
        Assert.Contains("lib/libupper.so", File.ReadAllText(Path.Combine(folder, "manifest.yaml")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9lives")]
    [InlineData("has-dash")]
    [InlineData("_under")]
    public async Task AServiceIdTheManifestWouldRefuseIsRefusedUpFront(string service)
    {
        var (exitCode, output) = await CliRun.RunAsync("new", "onnx", service, "-o", temp["plugin"]);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains($"'{service}' cannot be a service id", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp["plugin"]));
    }

    [Fact]
    public async Task AFolderThatIsNotEmptyIsLeftAlone()
    {
        Directory.CreateDirectory(temp["plugin"]);
        File.WriteAllText(temp["plugin/keep.txt"], "mine");

        var (exitCode, output) = await CliRun.RunAsync("new", "onnx", "gain", "-o", temp["plugin"]);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("is not empty", output, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(temp["plugin"]).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AnUnknownKindIsAParseErrorNamingTheChoices()
    {
        var (exitCode, output) = await CliRun.RunAsync("new", "python", "gain", "-o", temp["plugin"]);

        Assert.NotEqual(ExitCodes.Ok, exitCode);
        Assert.Contains("python", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp["plugin"]));
    }

    [Theory]
    [InlineData("speech_vad", "SpeechVad")]
    [InlineData("gain", "Gain")]
    [InlineData("a__b", "AB")]
    public void TypeNamesArePascalCaseOfTheServiceId(string service, string type) =>
        Assert.Equal(type, PluginScaffolder.TypeName(service));

    internal static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Runtime.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
