using System.Text.Json;
using Inference.LoadGenerator.Cli;
using Spectre.Console;

namespace Inference.LoadGenerator.Tests.EndToEnd;

/// <summary>The program as scripts run it: arguments in, exit code, table and JSON file out.</summary>
public sealed class CommandLineRunTests : IAsyncLifetime
{
    private readonly StringWriter output = new();
    private readonly IAnsiConsole console;
    private TestServer server = null!;

    public CommandLineRunTests()
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 240;
    }

    public async Task InitializeAsync() => server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task ASweepPrintsOneRowPerLevelAndWritesTheSameFiguresAsJson()
    {
        var json = Path.Combine(Path.GetTempPath(), $"loadgen-{Guid.NewGuid():N}", "sweep.json");
        try
        {
            var exitCode = await LoadApp.RunAsync(
                [server.Url("/ratio").ToString(), "-i", "INPUT0:FP32:1x16", "-i", "INPUT1:FP32:1x16", "--binary", "--sweep", "1,3", "-d", "700ms", "-w", "100ms", "--json", json],
                console);

            Assert.Equal(ExitCodes.Ok, exitCode);
            using var document = JsonDocument.Parse(File.ReadAllText(json));
            var root = document.RootElement;
            Assert.Equal("POST", root.GetProperty("method").GetString());
            Assert.Equal("raw", root.GetProperty("client").GetString());
            var levels = root.GetProperty("levels").EnumerateArray().ToList();
            Assert.Equal([1, 3], levels.Select(l => l.GetProperty("concurrency").GetInt32()));
            foreach (var level in levels)
            {
                var requests = level.GetProperty("requests").GetInt64();
                Assert.True(requests > 10);
                Assert.Equal(requests, level.GetProperty("status").EnumerateObject().Sum(s => s.Value.GetInt64()));
                Assert.Equal(requests, level.GetProperty("status_200").GetInt64() + level.GetProperty("status_429").GetInt64());
                Assert.True(level.GetProperty("latency").GetProperty("p99_us").GetDouble() > 0);
                Assert.Equal(level.GetProperty("concurrency").GetInt32(), level.GetProperty("connections").GetInt32());
                // The table row for this level shows the same throughput.
                var throughput = level.GetProperty("throughput").GetDouble();
                var row = Assert.Single(output.ToString().Split('\n'), l => l.StartsWith($"| {level.GetProperty("concurrency").GetInt32(),4} |", StringComparison.Ordinal));
                Assert.Contains(throughput.ToString(throughput >= 100 ? "#,0" : "0.0", System.Globalization.CultureInfo.InvariantCulture), row);
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(json)!, recursive: true);
        }
    }

    [Fact]
    public async Task AnUnreachableTargetExitsWithOne()
    {
        var exitCode = await LoadApp.RunAsync(["http://127.0.0.1:1/", "-d", "300ms", "-w", "0"], console);

        Assert.Equal(ExitCodes.NoAnswers, exitCode);
        Assert.Contains("transport errors: connect", output.ToString());
    }

    [Theory]
    [InlineData(new string[0], "Required argument missing")]
    [InlineData(new[] { "not a url" }, "is not an absolute http:// or https:// URL")]
    [InlineData(new[] { "http://127.0.0.1:1/", "-d", "ten" }, "'ten' is not a duration")]
    [InlineData(new[] { "http://127.0.0.1:1/", "--sweep", "1,x" }, "--sweep: 'x'")]
    [InlineData(new[] { "http://127.0.0.1:1/", "--client", "curl" }, "curl")]
    [InlineData(new[] { "http://127.0.0.1:1/", "--body", "/nonexistent/body.json" }, "--body: cannot read '/nonexistent/body.json'")]
    [InlineData(new[] { "http://127.0.0.1:1/", "-c", "2", "--sweep", "1,2" }, "--concurrency and --sweep are alternatives")]
    public async Task UsageErrorsExitWithTwoAndSayWhy(string[] args, string expected)
    {
        var exitCode = await LoadApp.RunAsync(args, console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains(expected, output.ToString());
    }

    [Fact]
    public async Task HelpExplainsEveryOption()
    {
        var exitCode = await LoadApp.RunAsync(["--help"], console);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var help = output.ToString();
        foreach (var option in new[] { "--method", "--header", "--body", "--content-type", "--input", "--binary", "--binary-output", "--seed", "--concurrency", "--sweep", "--duration", "--warmup", "--timeout", "--client", "--health-url", "--health-interval", "--pid", "--settle", "--json" })
        {
            Assert.Contains(option, help);
        }

        Assert.Contains("Exit codes", help);
    }
}
