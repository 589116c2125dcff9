using System.Net;
using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>A client that goes away mid-request must cost the host nothing but that request.</summary>
[Collection(HostCollection.Name)]
public sealed class ClientDisconnectTests(HostFixture host)
{
    private readonly OipClient client = new(host.Client);

    [Fact]
    public async Task ClientCancelledWhileSendingTheBodyLeavesTheHostServing()
    {
        var before = await client.StatsAsync("identity_fp32");
        var body = System.Text.Encoding.UTF8.GetBytes(BigRequest().ToJsonString());
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var content = new StallingContent(body, body.Length / 2, sent);
        var call = http.PostAsync(OipClient.InferPath("identity_fp32"), content, cancel.Token);

        // Half the body is on the wire and the host's handler is waiting for the rest: now give up.
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // The host finishes that request (counted as failed), neither crashing nor hanging on it...
        Assert.True(
            await OipClient.EventuallyAsync(async () => (await client.StatsAsync("identity_fp32")).FailCount == before.FailCount + 1),
            "the abandoned request was never finished by the host");

        // ...and serves the next ones.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);
        var result = await client.InferAsync("identity_fp32", SmallRequest());
        Assert.Equal([1.5f, -2f], result.Output("OUT").Floats());
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task ManyAbandonedRequestsDoNotLeakOrStall()
    {
        var before = await client.StatsAsync("identity_fp32");
        var body = System.Text.Encoding.UTF8.GetBytes(BigRequest().ToJsonString());
        const int abandoned = 12;

        async Task Abandon(int i)
        {
            var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            using var content = new StallingContent(body, 1 + (i * body.Length / abandoned), sent);
            var call = http.PostAsync(OipClient.InferPath("identity_fp32"), content, cancel.Token);
            await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(100);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        await Task.WhenAll(Enumerable.Range(0, abandoned).Select(Abandon));

        Assert.True(
            await OipClient.EventuallyAsync(async () => (await client.StatsAsync("identity_fp32")).FailCount == before.FailCount + abandoned),
            "not every abandoned request was finished by the host");
        for (var i = 0; i < 5; i++)
        {
            var result = await client.InferAsync("identity_fp32", SmallRequest());
            Assert.Equal([1.5f, -2f], result.Output("OUT").Floats());
        }
    }

    [Fact]
    public async Task ClientGoneBeforeReadingTheResponseLeavesTheHostServing()
    {
        // A whole request, then the connection is dropped without reading the answer.
        var body = BigRequest().ToJsonString();
        await using (var raw = await RawHttp.ConnectAsync(host.BaseAddress))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            await raw.SendAsync($"POST {OipClient.InferPath("identity_fp32")} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n");
            await raw.SendAsync(bytes);
        }

        var result = await client.InferAsync("identity_fp32", SmallRequest());
        Assert.Equal([1.5f, -2f], result.Output("OUT").Floats());
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task ClientDisconnectIsNotLoggedAsAServerError()
    {
        using var logs = LogCapture.Attach(host.App.Services);
        var before = await client.StatsAsync("identity_fp32");
        var body = System.Text.Encoding.UTF8.GetBytes(BigRequest().ToJsonString());
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var content = new StallingContent(body, body.Length / 3, sent);
        var call = http.PostAsync(OipClient.InferPath("identity_fp32"), content, cancel.Token);
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await OipClient.EventuallyAsync(async () => (await client.StatsAsync("identity_fp32")).FailCount == before.FailCount + 1));

        var errors = logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error && e.Category.StartsWith("Inference.Host", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "a client going away was logged as a server error: " + string.Join(" || ", errors.Select(e => $"{e.Category}: {e.Message}")));
    }

    private static JsonObject BigRequest()
    {
        var values = Enumerable.Range(0, 20_000).Select(i => (object)(i * 0.5f)).ToArray();
        return new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [100, 200], TensorCodec.ToJsonArray("FP32", values)) } };
    }

    private static JsonObject SmallRequest() =>
        new() { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [1, 2], new JsonArray(1.5f, -2f)) } };

    /// <summary>Declares the whole length, sends the first part, then waits until the client cancels.</summary>
    private sealed class StallingContent(byte[] body, int sendFirst, TaskCompletionSource sent) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(body.AsMemory(0, sendFirst), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
