using Inference.Packaging.Archive;

namespace Inference.Cli.Tests;

/// <summary><c>inference pack</c>: what it refuses (and says to change), and what it writes.</summary>
public sealed class PackCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public PackCommandTests() => Assert.Equal(ExitCodes.Ok, CliRun.RunAsync("new", "onnx", "gain_pack", "-o", temp["plugin"]).GetAwaiter().GetResult().ExitCode);

    public void Dispose() => temp.Dispose();

    private string Manifest => temp["plugin/manifest.yaml"];

    [Fact]
    public async Task EveryManifestProblemIsListedWithItsPathAndLine()
    {
        var text = File.ReadAllText(Manifest)
            .Replace("version: 1.0.0", "version: 1.0", StringComparison.Ordinal)
            .Replace("maxConcurrency: 8", "maxConcurrency: -1", StringComparison.Ordinal);
        File.WriteAllText(Manifest, text);

        var (exitCode, output) = await CliRun.RunAsync("pack", temp["plugin"]);

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("service.version", output, StringComparison.Ordinal);
        Assert.Contains("config.maxConcurrency", output, StringComparison.Ordinal);
        Assert.Matches(@"manifest.yaml has [2-9] problem\(s\)", output);
        var versionLine = Array.FindIndex(File.ReadAllLines(Manifest), l => l.Contains("version: 1.0", StringComparison.Ordinal)) + 1;
        Assert.Matches($@"service\.version\s*│\s*{versionLine}\s*│", output);
        Assert.Empty(Directory.GetFiles(temp["plugin"], "*.tar.gz"));
    }

    [Fact]
    public async Task AMissingModelIsNamedWithWhereTheManifestNamesIt()
    {
        File.Delete(temp["plugin/model/model.onnx"]);

        var (exitCode, output) = await CliRun.RunAsync("pack", temp["plugin"]);

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("engine.model: 'model/model.onnx' is not in", output, StringComparison.Ordinal);
        Assert.Contains("1 file(s) named by the manifest are missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFolderWithoutAManifestSaysHowToStartOne()
    {
        Directory.CreateDirectory(temp["empty"]);

        var (exitCode, output) = await CliRun.RunAsync("pack", temp["empty"]);

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("no manifest.yaml", output, StringComparison.Ordinal);
        Assert.Contains("inference new", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePackageIsNamedAfterTheManifestAndItsSidecarMatches()
    {
        var (exitCode, output) = await CliRun.RunAsync("pack", temp["plugin"], "-o", temp["out"]);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var package = temp["out/gain_pack-1.0.0.tar.gz"];
        var digest = Md5Digest.ReadSidecar(package);
        using (var stream = File.OpenRead(package))
        {
            Assert.Equal(Md5Digest.Compute(stream), digest);
        }

        Assert.Contains($"md5 {digest}", output, StringComparison.Ordinal);
        Assert.Contains("3 files", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackingTwiceGivesTheSameDigest()
    {
        await CliRun.RunAsync("pack", temp["plugin"], "-o", temp["a"]);
        File.SetLastWriteTimeUtc(temp["plugin/manifest.yaml"], DateTime.UtcNow.AddDays(-3));
        await CliRun.RunAsync("pack", temp["plugin"], "-o", temp["b"]);

        Assert.Equal(File.ReadAllBytes(temp["a/gain_pack-1.0.0.tar.gz"]), File.ReadAllBytes(temp["b/gain_pack-1.0.0.tar.gz"]));
    }

    [Fact]
    public async Task ANativeBuildFailureShowsTheCompilerOutput()
    {
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("new", "native", "broken", "-o", temp["native"])).ExitCode);
        File.AppendAllText(temp["native/src/wrapper.c"], "\nint this_does_not_compile(void) { return undeclared_name; }\n");

        var (exitCode, output) = await CliRun.RunAsync("pack", temp["native"]);

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("undeclared_name", output, StringComparison.Ordinal);
        Assert.Contains("the build failed (cmake src/CMakeLists.txt)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithNoBuildAnUnbuiltNativePluginIsToldToBuild()
    {
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("new", "native", "unbuilt", "-o", temp["native"])).ExitCode);

        var (exitCode, output) = await CliRun.RunAsync("pack", temp["native"], "--no-build");

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("engine.library: 'lib/libunbuilt.so' is not in", output, StringComparison.Ordinal);
        Assert.Contains("build the plugin first (leave out --no-build)", output, StringComparison.Ordinal);
    }
}
