using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Admission;
using Inference.Host.Registry;
using Inference.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// The OIP infer path under admission (simple: optimal 1, max 3 from the settings file). The test
/// holds running slots itself through the gate, so the queue's state does not depend on timing.
/// </summary>
public sealed class OipAdmissionTests(OipAdmissionHost fixture) : IClassFixture<OipAdmissionHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private LoadControlHost Host => fixture.Host;

    private AdmissionGate Simple => Host.ModelGate("simple");

    [Fact]
    public async Task AtOptimalItRunsBetweenItQueuesAtMaxTheNextIsRefusedAtOnce()
    {
        var before = Simple.Snapshot();
        Assert.Equal(new LoadLimits(1, 3), Simple.Limits);

        var atOptimal = await Post(LoadControlHost.SimpleRequest());
        Assert.Equal(HttpStatusCode.OK, atOptimal.StatusCode);

        using var holder = await HeldSlot.TakeAsync(Simple);
        var queued = new[] { Post(LoadControlHost.SimpleRequest(value: 2)), Post(LoadControlHost.SimpleRequest(value: 3)) };
        await LoadControlHost.WaitUntil(() => Simple.Snapshot() is { Running: 1, Queued: 2 });

        var stopwatch = Stopwatch.StartNew();
        using var refused = await Post(LoadControlHost.SimpleRequest());
        var refusedIn = stopwatch.Elapsed;
        var error = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Contains("model 'simple' version 1 is at its max concurrency (3: 1 running, 2 queued)", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(refusedIn < TimeSpan.FromSeconds(2), $"the refusal took {refusedIn}");

        holder.Dispose();
        var answers = await Task.WhenAll(queued).WaitAsync(Wait);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(3f, await FirstOutput(answers[0]));
        Assert.Equal(4f, await FirstOutput(answers[1]));
        var after = Simple.Snapshot();
        Assert.Equal(4, after.Admitted - before.Admitted); // the first, the holder, the two queued
        Assert.Equal(1, after.Rejected - before.Rejected);
        Assert.Equal(0, after.Running + after.Queued);
    }

    [Fact]
    public async Task HigherPriorityRunsFirstWhetherSentInTheBodyOrAsAHeader()
    {
        // slow runs one at a time and each run takes far longer than writing an answer, so the
        // order in which answers arrive is the order in which the queue let them run.
        var slow = Host.ModelGate("slow");
        using var holder = await HeldSlot.TakeAsync(slow);
        var order = new List<string>();
        var low = Track(Post(LoadControlHost.SlowRequest(rows: 16), "/v2/models/slow/infer"), "low", order);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Queued == 1);
        var header = Track(Post(LoadControlHost.SlowRequest(rows: 16), "/v2/models/slow/infer", (RequestControls.PriorityHeader, "9")), "header-9", order);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Queued == 2);
        var body = Track(Post(LoadControlHost.SlowRequest(rows: 16, new { priority = 5 }), "/v2/models/slow/infer"), "body-5", order);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Queued == 3);

        holder.Dispose();
        await Task.WhenAll(low, header, body).WaitAsync(Wait);

        Assert.Equal(["header-9", "body-5", "low"], order);
    }

    [Theory]
    [InlineData("""{ "priority": 10 }""", "priority must be an integer from 0 to 9 (higher is served first), got 10")]
    [InlineData("""{ "priority": "high" }""", "'priority' must be an integer, got \"high\"")]
    [InlineData("""{ "timeout": -5 }""", "timeout must be a non-negative number of microseconds (0: no deadline), got -5")]
    [InlineData("""{ "timeout": 1.5 }""", "'timeout' must be an integer, got 1.5")]
    public async Task AnInvalidPriorityOrTimeoutIsRefusedNamingIt(string parameters, string message)
    {
        var before = Simple.Snapshot();
        using var response = await Post(LoadControlHost.SimpleRequest(JsonDocument.Parse(parameters).RootElement));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(before.Admitted, Simple.Snapshot().Admitted);
    }

    [Fact]
    public async Task AnInvalidTimeoutHeaderIsRefusedNamingIt()
    {
        using var response = await Post(LoadControlHost.SimpleRequest(), (RequestControls.TimeoutHeader, "soon"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("the Inference-Timeout header must be one integer, got 'soon'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AQueuedRequestWhoseDeadlinePassesIsAnsweredWithATimeoutAndNeverRuns()
    {
        var before = Simple.Snapshot();
        var inferencesBefore = Inferences("simple");
        using var holder = await HeldSlot.TakeAsync(Simple);
        {
            var stopwatch = Stopwatch.StartNew();
            using var fromBody = await Post(LoadControlHost.SimpleRequest(new { timeout = 200_000 }));
            var tookBody = stopwatch.Elapsed;
            using var fromHeader = await Post(LoadControlHost.SimpleRequest(), (RequestControls.TimeoutHeader, "100000"));

            Assert.Equal(HttpStatusCode.RequestTimeout, fromBody.StatusCode);
            Assert.Equal(HttpStatusCode.RequestTimeout, fromHeader.StatusCode);
            Assert.InRange(tookBody, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
            var message = (await fromBody.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
            Assert.StartsWith("the deadline of the request to model 'simple' version 1 passed after ", message, StringComparison.Ordinal);
            Assert.EndsWith("us; it never ran", message, StringComparison.Ordinal);
        }

        holder.Dispose();

        var after = Simple.Snapshot();
        Assert.Equal(2, after.Expired - before.Expired);
        Assert.Equal(1, after.Admitted - before.Admitted); // only the holder
        Assert.Equal(inferencesBefore, Inferences("simple"));
        Assert.Equal(0, after.Queued);
    }

    [Fact]
    public async Task ADeadlineLongerThanTheWaitLetsTheRequestRun()
    {
        using var holder = await HeldSlot.TakeAsync(Simple);
        var patient = Post(LoadControlHost.SimpleRequest(new { timeout = 20_000_000 }));
        await LoadControlHost.WaitUntil(() => Simple.Snapshot().Queued == 1);
        holder.Dispose();

        using var response = await patient.WaitAsync(Wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AQueuedClientThatDisconnectsLeavesTheQueueAndNeverRuns()
    {
        var before = Simple.Snapshot();
        var inferencesBefore = Inferences("simple");
        using var holder = await HeldSlot.TakeAsync(Simple);
        using var leave = new CancellationTokenSource();
        var queued = Host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest(), leave.Token);
        await LoadControlHost.WaitUntil(() => Simple.Snapshot().Queued == 1);

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await LoadControlHost.WaitUntil(() => Simple.Snapshot().Queued == 0);
        holder.Dispose();

        var after = Simple.Snapshot();
        Assert.Equal(1, after.Cancelled - before.Cancelled);
        Assert.Equal(1, after.Admitted - before.Admitted);
        Assert.Equal(inferencesBefore, Inferences("simple"));
    }

    [Fact]
    public async Task ARunningClientThatDisconnectsStopsItsRunAndFreesTheSlotAtOnce()
    {
        var slow = Host.ModelGate("slow");
        var full = Stopwatch.StartNew();
        using (var complete = await Post(LoadControlHost.SlowRequest(rows: 64), path: "/v2/models/slow/infer"))
        {
            Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        }

        var fullRun = full.Elapsed;
        using var leave = new CancellationTokenSource();
        var running = Host.Client.PostAsync("/v2/models/slow/infer", LoadControlHost.SlowRequest(rows: 32768), leave.Token);
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Running == 1);
        var cancelled = Stopwatch.StartNew();
        await leave.CancelAsync();
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Running == 0);

        // 32768 rows take about 512 times the 64-row run: freeing the slot within a quarter of that
        // means the run stopped. The margin is wide on purpose: on a loaded 2-core machine the abort's
        // work item can wait seconds for a pool thread (seen: 3.4 s against a 37 ms reference run).
        Assert.True(cancelled.Elapsed < fullRun * 128, $"the slot was freed {cancelled.Elapsed} after the client left; a 64-row run takes {fullRun}");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task ADeadlinePassingWhileRunningStopsTheRunAndAnswersWithATimeout()
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await Post(LoadControlHost.SlowRequest(rows: 4096, new { timeout = 300_000 }), path: "/v2/models/slow/infer");

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.EndsWith("its run was stopped", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"answered after {stopwatch.Elapsed}");
        Assert.Equal(0, Host.ModelGate("slow").Snapshot().Running);
    }

    [Fact]
    public async Task TheLoadEndpointShowsEveryGate()
    {
        using var holder = await HeldSlot.TakeAsync(Simple);
        var queued = Post(LoadControlHost.SimpleRequest());
        await LoadControlHost.WaitUntil(() => Simple.Snapshot().Queued == 1);

        var simple = await Host.LoadOf("model", "simple");
        var echo = await Host.LoadOf("engine", "echo");
        holder.Dispose();
        (await queued.WaitAsync(Wait)).Dispose();

        Assert.Equal("1", simple.GetProperty("version").GetString());
        Assert.Equal(1, simple.GetProperty("optimal_concurrency").GetInt32());
        Assert.Equal(3, simple.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(1, simple.GetProperty("running").GetInt32());
        Assert.Equal(1, simple.GetProperty("queued").GetInt32());
        Assert.Equal(0.6667, simple.GetProperty("load").GetDouble());
        Assert.Equal(2, echo.GetProperty("optimal_concurrency").GetInt32()); // the echo manifest's own
        Assert.Equal(4, echo.GetProperty("max_concurrency").GetInt32());
    }

    private Task<HttpResponseMessage> Post(object request, params (string Name, string Value)[] headers) =>
        Post(JsonContent.Create(request), "/v2/models/simple/infer", headers);

    private Task<HttpResponseMessage> Post(HttpContent content, string path = "/v2/models/simple/infer", params (string Name, string Value)[] headers)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            message.Headers.Add(name, value);
        }

        return Host.Client.SendAsync(message);
    }

    private long Inferences(string model) =>
        Host.Host.App.Services.GetRequiredService<ModelRegistry>().Resolve(model, null, out _)!.Model!.Statistics.InferenceCount;

    private static async Task<float> FirstOutput(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("outputs")[0].GetProperty("data")[0].GetSingle();
    }

    private static async Task Track(Task<HttpResponseMessage> request, string name, List<string> order)
    {
        using var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        lock (order)
        {
            order.Add(name);
        }
    }
}
