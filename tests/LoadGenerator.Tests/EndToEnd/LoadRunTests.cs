using Inference.LoadGenerator.Output;
using Inference.LoadGenerator.Requests;
using Inference.LoadGenerator.Running;

namespace Inference.LoadGenerator.Tests.EndToEnd;

/// <summary>Whole levels against a real Kestrel server whose answers are known, checking what the generator counts.</summary>
public sealed class LoadRunTests : IAsyncLifetime
{
    private TestServer server = null!;

    public async Task InitializeAsync() => server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData(ClientKind.Raw)]
    [InlineData(ClientKind.Http)]
    public async Task RefusalsAreCountedInTheServersRatioOnKeptAliveConnections(ClientKind client)
    {
        const int concurrency = 4;
        var body = OipRequestBody.Create([new("INPUT0", OipDatatype.FP32, [1, 16])], binaryInputs: true, binaryOutput: false, seed: 1);
        var options = Options("/ratio", concurrency, client) with
        {
            Target = new RequestTarget(server.Url("/ratio"), "POST", body.Headers, body.Bytes),
        };

        var level = await RunAsync(options);

        Assert.True(level.Requests > 100, $"only {level.Requests} answers in a second");
        Assert.Equal(level.Requests, level.Status200 + level.Status429);
        Assert.Equal(0, level.TransportErrors.Total);
        // The window cuts the server's every-4th sequence at both ends, at most one request per client each.
        Assert.InRange(level.Status429, (level.Requests / 4) - (2 * concurrency), (level.Requests / 4) + (2 * concurrency));
        Assert.True(server.RatioRequests >= level.Requests, "the generator cannot count more answers than the server gave");
        Assert.True(server.RatioRejected >= level.Status429);
        // Every request carried the whole body, and nothing more.
        Assert.Equal(server.RatioRequests * body.Bytes.Length, server.BodyBytes);
        Assert.Equal(concurrency, level.Connections);
        Assert.Equal(level.Requests, level.Latency.Count);
        Assert.Equal(level.Status200, level.SuccessLatency.Count);
        Assert.True(level.Latency.P50Us > 0 && level.Latency.P50Us <= level.Latency.P99Us && level.Latency.P99Us <= level.Latency.MaxUs);
        Assert.True(level.Throughput > 0);
        Assert.InRange(level.DurationSeconds, 0.9, 3);
    }

    [Fact]
    public async Task StatusesAreCountedSeparately()
    {
        var level = await RunAsync(Options("/mixed", 1, ClientKind.Raw));

        Assert.True(level.Requests >= 40, $"only {level.Requests} answers");
        Assert.Equal(level.Requests, level.Status200 + level.Status408 + level.Status5xx + level.StatusOther);
        foreach (var count in new[] { level.Status200, level.Status408, level.Status5xx, level.StatusOther })
        {
            // One client in a closed loop walks the server's cycle in order: each status within one of a quarter.
            Assert.InRange(count, (level.Requests / 4) - 1, (level.Requests / 4) + 1);
        }

        Assert.Equal(level.StatusOther, level.Status["404"]);
        Assert.Equal(level.Status5xx, level.Status["503"]);
        Assert.Equal(0, level.Status429);
    }

    [Theory]
    [InlineData(ClientKind.Raw)]
    [InlineData(ClientKind.Http)]
    public async Task ChunkedAnswersKeepTheConnection(ClientKind client)
    {
        var level = await RunAsync(Options("/chunked", 2, client));

        Assert.True(level.Requests > 20);
        Assert.Equal(level.Requests, level.Status200);
        Assert.Equal(0, level.TransportErrors.Total);
        Assert.Equal(2, level.Connections);
    }

    [Fact]
    public async Task ConnectionsClosedByTheServerAreReopened()
    {
        var level = await RunAsync(Options("/close", 2, ClientKind.Raw));

        Assert.True(level.Requests > 20);
        Assert.Equal(level.Requests, level.Status200);
        Assert.Equal(0, level.TransportErrors.Total);
        Assert.True(level.Connections >= level.Requests, $"{level.Connections} connections for {level.Requests} answers");
    }

    [Theory]
    [InlineData(ClientKind.Raw)]
    [InlineData(ClientKind.Http)]
    public async Task SlowAnswersAreTimeouts(ClientKind client)
    {
        var options = Options("/slow", 2, client) with { WarmUp = TimeSpan.Zero, Timeout = TimeSpan.FromMilliseconds(300) };

        var level = await RunAsync(options);

        Assert.True(level.Requests == 0, $"{level.Requests} answers: {string.Join(", ", level.Status)}");
        Assert.True(level.TransportErrors.Timeout is >= 3 and <= 8, $"errors: {level.TransportErrors}");
        Assert.Equal(level.TransportErrors.Timeout, level.TransportErrors.Total);
    }

    [Fact]
    public async Task NothingListeningIsConnectErrors()
    {
        var options = Options("/", 2, ClientKind.Raw) with
        {
            Target = new RequestTarget(new Uri("http://127.0.0.1:1/"), "GET", [], []),
            WarmUp = TimeSpan.Zero,
        };

        var level = await RunAsync(options);

        Assert.Equal(0, level.Requests);
        Assert.True(level.TransportErrors.Connect > 10);
        Assert.Equal(level.TransportErrors.Connect, level.TransportErrors.Total);
    }

    [Fact]
    public async Task TheHealthProbeAndTheMemoryAreReportedBesideTheLoad()
    {
        var options = Options("/ratio", 2, ClientKind.Raw) with
        {
            Target = new RequestTarget(server.Url("/ratio"), "POST", [], [1, 2, 3]),
            HealthUrl = server.Url("/health"),
            HealthInterval = TimeSpan.FromMilliseconds(10),
            Pid = Environment.ProcessId,
            Settle = TimeSpan.FromMilliseconds(200),
        };

        var level = await RunAsync(options);

        var health = Assert.IsType<HealthReport>(level.Health);
        // 100 probes a second at 10 ms; a loaded 2-core machine may stretch the interval.
        Assert.InRange(health.Requests, 20, 110);
        Assert.Equal(0, health.Failures);
        Assert.True(health.P50Us > 0 && health.P50Us <= health.P99Us && health.P99Us <= health.MaxUs);
        var memory = Assert.IsType<MemoryReport>(level.Memory);
        Assert.True(memory.StartKib > 1024, "a .NET test process has more than 1 MiB resident");
        Assert.True(memory.PeakKib >= memory.StartKib);
        Assert.NotNull(memory.AfterKib);
        Assert.False(memory.ProcessLost);
        Assert.Equal(0.2, memory.SettleSeconds, 3);
    }

    private LoadOptions Options(string path, int concurrency, ClientKind client) => new()
    {
        Target = new RequestTarget(server.Url(path), "GET", [], []),
        ConcurrencyLevels = [concurrency],
        Duration = TimeSpan.FromSeconds(1),
        WarmUp = TimeSpan.FromMilliseconds(200),
        Timeout = TimeSpan.FromSeconds(5),
        Client = client,
    };

    private static async Task<LevelReport> RunAsync(LoadOptions options)
    {
        var results = await LoadTest.RunAsync(options, null, CancellationToken.None);
        return ReportBuilder.Level(Assert.Single(results));
    }
}
