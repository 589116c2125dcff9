using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Inference.Cli.Tests;

/// <summary><c>inference run</c>: serves one plugin with the real host until stopped.</summary>
public sealed partial class RunCommandTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [GeneratedRegex(@"serving gain_run 1\.0\.0 at (http://\S+)")]
    private static partial Regex Serving();

    [Fact]
    public async Task AFolderIsPackedAndServedUntilCancelled()
    {
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("new", "onnx", "gain_run", "-o", temp["plugin"])).ExitCode);
        var run = new CliRun();
        using var stop = new CancellationTokenSource();
        var serving = run.StartAsync(stop.Token, "run", temp["plugin"], "--port", "0");

        var url = await WaitForUrlAsync(run, serving);
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        var body = """{"parameter":{"gain":3},"payload":{"samples":{"data":"AACAPw=="}}}"""; // one FP32 1.0
        using var response = await client.PostAsync("/v1/engines/gain_run", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        stop.Cancel();
        var exitCode = await serving.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("[3]", text, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, exitCode);
    }

    [Fact]
    public async Task APackageWithoutItsMd5IsRefused()
    {
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("new", "onnx", "gain_run", "-o", temp["plugin"])).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("pack", temp["plugin"], "-o", temp["out"])).ExitCode);
        File.Delete(temp["out/gain_run-1.0.0.tar.gz.md5"]);

        var (exitCode, output) = await CliRun.RunAsync("run", temp["out/gain_run-1.0.0.tar.gz"], "--port", "0");

        Assert.Equal(ExitCodes.PluginInvalid, exitCode);
        Assert.Contains("has no .md5", output, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForUrlAsync(CliRun run, Task<int> serving)
    {
        for (var i = 0; i < 600; i++)
        {
            if (Serving().Match(run.Output) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }

            if (serving.IsCompleted)
            {
                Assert.Fail($"run ended with {await serving} before serving:\n{run.Output}");
            }

            await Task.Delay(100);
        }

        Assert.Fail("run did not start serving within a minute:\n" + run.Output);
        return "";
    }
}
