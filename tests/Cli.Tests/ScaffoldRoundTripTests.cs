using Inference.Packaging.Archive;

namespace Inference.Cli.Tests;

/// <summary>
/// What `new` promises: each kind, as generated, builds and passes its own test cases, both from its
/// folder and packed; the package installs with its MD5 and holds no sources.
/// </summary>
public sealed class ScaffoldRoundTripTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("onnx")]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task AScaffoldBuildsPassesItsTestsAndPacksIntoAnInstallablePackage(string kind)
    {
        var folder = temp["plugin"];
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("new", kind, "fresh_" + kind, "-o", folder)).ExitCode);

        var (validated, validateOutput) = await CliRun.RunAsync("validate", folder);
        Assert.True(validated == ExitCodes.Ok, validateOutput);
        Assert.Contains("pass", validateOutput, StringComparison.Ordinal);
        Assert.Contains("1 of 1 test case(s) passed", validateOutput, StringComparison.Ordinal);

        var (packed, packOutput) = await CliRun.RunAsync("pack", folder, "-o", temp["out"]);
        Assert.True(packed == ExitCodes.Ok, packOutput);
        var package = temp[$"out/fresh_{kind}-1.0.0.tar.gz"];
        Assert.True(File.Exists(package + ".md5"));

        var installed = new PackageInstaller(temp["installed"]).Install(package);
        var files = Directory.GetFiles(installed.Directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(installed.Directory, f)).ToList();
        Assert.Contains("manifest.yaml", files);
        Assert.DoesNotContain(files, f => f.StartsWith("src", StringComparison.Ordinal) || f.StartsWith("sdk", StringComparison.Ordinal) || f.StartsWith("obj", StringComparison.Ordinal) || f.StartsWith('.'));

        var (fromPackage, packageOutput) = await CliRun.RunAsync("validate", package);
        Assert.True(fromPackage == ExitCodes.Ok, packageOutput);
        Assert.Contains("MD5 verified", packageOutput, StringComparison.Ordinal);
    }
}
