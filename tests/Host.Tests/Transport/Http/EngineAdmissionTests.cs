using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Admission;
using Inference.Host.Engines;
using Inference.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// The engine API under the manifest's concurrency (echo: optimal 2, max 4): two run, two wait, the
/// fifth is refused at once with 429, Retry-After and 10110; a waiting client that leaves frees its place.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class EngineAdmissionTests(HostFixture host)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private AdmissionGate Gate => host.App.Services.GetRequiredService<EngineRegistry>().Resolve("echo", null, out _)!.Gate!;

    [Fact]
    public async Task BeyondMaxConcurrencyTheNextCallIsRefusedAtOnceAndTheAcceptedOnesAllFinish()
    {
        var before = Gate.Snapshot();
        var slow = Enumerable.Range(0, 4).Select(_ => Post(delayMs: 1500, CancellationToken.None)).ToList();
        await WaitUntil(() => Gate.Snapshot() is { Running: 2, Queued: 2 });

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var refused = await host.Client.PostAsJsonAsync("/v1/engines/echo", Request(0));
        var refusedIn = started.Elapsed;
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(10110, body.GetProperty("header").GetProperty("code").GetInt32());
        Assert.Contains("max concurrency (4: 2 running, 2 queued)", body.GetProperty("header").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(refusedIn < TimeSpan.FromMilliseconds(1000), $"the refusal took {refusedIn}: it waited instead of failing fast");

        var statuses = await Task.WhenAll(slow).WaitAsync(Wait);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var after = Gate.Snapshot();
        Assert.Equal(4, after.Admitted - before.Admitted);
        Assert.Equal(1, after.Rejected - before.Rejected);
        Assert.Equal(0, after.Running);
    }

    [Fact]
    public async Task AQueuedClientThatDisconnectsLeavesTheQueueAndNeverRuns()
    {
        var before = Gate.Snapshot();
        var running = Enumerable.Range(0, 2).Select(_ => Post(delayMs: 1500, CancellationToken.None)).ToList();
        await WaitUntil(() => Gate.Snapshot() is { Running: 2, Queued: 0 });
        using var leave = new CancellationTokenSource();
        var queued = Post(delayMs: 0, leave.Token);
        await WaitUntil(() => Gate.Snapshot().Queued == 1);

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await WaitUntil(() => Gate.Snapshot().Queued == 0);

        Assert.Equal(1, Gate.Snapshot().Cancelled - before.Cancelled);
        Assert.All(await Task.WhenAll(running).WaitAsync(Wait), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, Gate.Snapshot().Admitted - before.Admitted);
    }

    [Fact]
    public async Task TheStatsEndpointShowsEachEnginesLimitsAndQueue()
    {
        var slow = Enumerable.Range(0, 3).Select(_ => Post(delayMs: 1000, CancellationToken.None)).ToList();
        await WaitUntil(() => Gate.Snapshot() is { Running: 2, Queued: 1 });

        var stats = await host.Client.GetFromJsonAsync<JsonElement>("/v1/engines/stats");
        await Task.WhenAll(slow).WaitAsync(Wait);

        var engines = stats.GetProperty("engines").EnumerateArray().ToList();
        var echo = engines.Single(e => e.GetProperty("service").GetString() == "echo");
        Assert.Equal("READY", echo.GetProperty("state").GetString());
        Assert.Equal(2, echo.GetProperty("optimal_concurrency").GetInt32());
        Assert.Equal(4, echo.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(2, echo.GetProperty("running").GetInt32());
        Assert.Equal(1, echo.GetProperty("queued").GetInt32());
        var tampered = engines.Single(e => e.GetProperty("service").GetString() == "tampered");
        Assert.Equal("UNAVAILABLE", tampered.GetProperty("state").GetString());
        Assert.Contains("MD5", tampered.GetProperty("reason").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.Null, tampered.GetProperty("running").ValueKind);
    }

    [Fact]
    public async Task AQueuedCallWhoseHeaderTimeoutPassesGets10111AndNeverRuns()
    {
        var before = Gate.Snapshot();
        var running = Enumerable.Range(0, 2).Select(_ => Post(delayMs: 1500, CancellationToken.None)).ToList();
        await WaitUntil(() => Gate.Snapshot() is { Running: 2 });

        var request = Request(0);
        request["header"] = new Dictionary<string, object?> { ["timeout"] = 100_000 };
        using var response = await host.Client.PostAsJsonAsync("/v1/engines/echo", request);
        var header = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header");

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal(10111, header.GetProperty("code").GetInt32());
        Assert.EndsWith("it never ran", header.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(running).WaitAsync(Wait), s => Assert.Equal(HttpStatusCode.OK, s));
        var after = Gate.Snapshot();
        Assert.Equal(1, after.Expired - before.Expired);
        Assert.Equal(2, after.Admitted - before.Admitted);
    }

    [Fact]
    public async Task ARunningCallWhoseDeadlinePassesIsStoppedAndGets10111()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/engines/echo") { Content = JsonContent.Create(Request(20_000)) };
        message.Headers.Add(RequestControls.TimeoutHeader, "200000");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await host.Client.SendAsync(message);
        var header = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header");

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal(10111, header.GetProperty("code").GetInt32());
        Assert.EndsWith("its run was stopped", header.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"answered after {stopwatch.Elapsed}: the 20 s call was not stopped");
        await WaitUntil(() => Gate.Snapshot().Running == 0);
    }

    [Theory]
    [InlineData("priority", 12, "priority must be an integer from 0 to 9 (higher is served first), got 12")]
    [InlineData("priority", "urgent", "'priority' must be an integer, got \"urgent\"")]
    [InlineData("timeout", -1, "timeout must be a non-negative number of microseconds (0: no deadline), got -1")]
    public async Task AnInvalidPriorityOrTimeoutInTheHeaderGets10407(string field, object value, string expected)
    {
        var request = Request(0);
        request["header"] = new Dictionary<string, object?> { [field] = value };
        using var response = await host.Client.PostAsJsonAsync("/v1/engines/echo", request);
        var header = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(10407, header.GetProperty("code").GetInt32());
        Assert.Equal(expected, header.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AHigherPriorityCallOvertakesTheQueue()
    {
        // Both slots held by the test (not by timed calls, which a loaded machine can let finish before
        // the queue forms); freeing one then serves the queue one call at a time.
        using var busy = await HeldSlot.TakeAsync(Gate);
        using var brief = await HeldSlot.TakeAsync(Gate);
        var order = new List<string>();
        var low = Tracked(Request(400), "low", order);
        await WaitUntil(() => Gate.Snapshot().Queued == 1);
        var urgent = Request(400);
        urgent["header"] = new Dictionary<string, object?> { ["priority"] = 9 };
        var high = Tracked(urgent, "high", order);
        await WaitUntil(() => Gate.Snapshot().Queued == 2);

        brief.Dispose();
        await Task.WhenAll(low, high).WaitAsync(Wait);

        Assert.Equal(["high", "low"], order);
    }

    private async Task Tracked(Dictionary<string, object?> request, string name, List<string> order)
    {
        using var response = await host.Client.PostAsJsonAsync("/v1/engines/echo", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        lock (order)
        {
            order.Add(name);
        }
    }

    private async Task<HttpStatusCode> Post(int delayMs, CancellationToken cancellationToken)
    {
        using var response = await host.Client.PostAsJsonAsync("/v1/engines/echo", Request(delayMs), cancellationToken);
        return response.StatusCode;
    }

    private static Dictionary<string, object?> Request(int delayMs) => new()
    {
        ["parameter"] = new Dictionary<string, object?> { ["delay_ms"] = delayMs },
        ["payload"] = new Dictionary<string, object?> { ["text"] = new { text = "hello" } },
    };

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the gate never reached the expected state");
            await Task.Delay(10);
        }
    }
}
