namespace Inference.Cli.Tests;

/// <summary><c>inference validate</c>: failing tests are shown with what came back; broken packages do not load.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public ValidateCommandTests() => Assert.Equal(ExitCodes.Ok, CliRun.RunAsync("new", "onnx", "gain_check", "-o", temp["plugin"]).GetAwaiter().GetResult().ExitCode);

    public void Dispose() => temp.Dispose();

    private string Manifest => temp["plugin/manifest.yaml"];

    [Fact]
    public async Task AFailingTestCaseIsAFailRowWithTheActualResponseAndExit1()
    {
        File.WriteAllText(Manifest, File.ReadAllText(Manifest).Replace("[1,-2,6]", "[1,-2,7]", StringComparison.Ordinal));

        var (exitCode, output) = await CliRun.RunAsync("validate", temp["plugin"]);

        Assert.Equal(ExitCodes.TestsFailed, exitCode);
        Assert.Contains("FAIL", output, StringComparison.Ordinal);
        Assert.Contains("[1,-2,7]", output, StringComparison.Ordinal);
        Assert.Contains("[1,-2,6]", output, StringComparison.Ordinal);
        Assert.Contains("1 of 1 test case(s) failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassingAndFailingTestsAreEachReported()
    {
        var text = File.ReadAllText(Manifest);
        var tests = text[text.IndexOf("tests:", StringComparison.Ordinal)..text.IndexOf("config:", StringComparison.Ordinal)];
        var extra = tests.Replace("tests:\n", "", StringComparison.Ordinal).Replace("name: doubles", "name: triples", StringComparison.Ordinal).Replace("gain: 2", "gain: 3", StringComparison.Ordinal);
        File.WriteAllText(Manifest, text.Replace(tests, tests + extra, StringComparison.Ordinal));

        var (exitCode, output) = await CliRun.RunAsync("validate", temp["plugin"]);

        Assert.Equal(ExitCodes.TestsFailed, exitCode);
        Assert.Matches(@"doubles\s*│\s*pass", output);
        Assert.Matches(@"triples\s*│\s*FAIL", output);
        Assert.Contains("[1.5,-3,9]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManifestWithoutTestCasesHasNothingToValidate()
    {
        var text = File.ReadAllText(Manifest);
        File.WriteAllText(Manifest, text.Remove(text.IndexOf("tests:", StringComparison.Ordinal), text.IndexOf("config:", StringComparison.Ordinal) - text.IndexOf("tests:", StringComparison.Ordinal)));

        var (exitCode, output) = await CliRun.RunAsync("validate", temp["plugin"]);

        Assert.Equal(ExitCodes.TestsFailed, exitCode);
        Assert.Contains("no test cases", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APackageWhoseDigestDoesNotMatchIsRefused()
    {
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("pack", temp["plugin"], "-o", temp["out"])).ExitCode);
        var package = temp["out/gain_check-1.0.0.tar.gz"];
        File.WriteAllText(package + ".md5", new string('0', 32) + "  gain_check-1.0.0.tar.gz\n");

        var (exitCode, output) = await CliRun.RunAsync("validate", package);

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("00000000000000000000000000000000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModelThatIsNotOnnxDoesNotLoad()
    {
        File.WriteAllText(temp["plugin/model/model.onnx"], "not a model");

        var (exitCode, output) = await CliRun.RunAsync("validate", temp["plugin"]);

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("the plugin did not load", output, StringComparison.Ordinal);
    }
}
