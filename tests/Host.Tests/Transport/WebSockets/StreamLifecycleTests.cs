using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Inference.Host.Engines;
using Inference.Host.Tests.Infrastructure;
using Inference.Host.Tests.Transport.Http;
using static Inference.Host.Tests.Transport.WebSockets.StreamClient;

namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>
/// A session's life: the idle timeout and the maximum lifetime (on the host's hand-moved clock), the
/// client closing or dropping mid-stream (the slot is freed and the plugin session closed), the engine's
/// max concurrency (refused before the upgrade), and engines or requests that cannot stream at all.
/// </summary>
[Collection(StreamingCollection.Name)]
public sealed class StreamLifecycleTests(StreamingHost host)
{
    public static TheoryData<string> Engines => ["echo", "textnative", "textasync"];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ASessionQuietForTheIdleTimeoutIsClosedWith10019AndActivityPostponesIt(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0);
        await client.ReceiveAsync();

        host.Clock.Advance(StreamingHost.IdleTimeout - TimeSpan.FromSeconds(10));
        await client.SendTextChunkAsync("b", status: 1); // activity: the idle clock starts again
        await client.ReceiveAsync();
        var closing = client.ReceiveErrorAsync();
        host.Clock.Advance(StreamingHost.IdleTimeout - TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.False(closing.IsCompleted, "closed although the session was active within the idle timeout");

        host.Clock.Advance(TimeSpan.FromSeconds(11));
        var (code, message, close, _) = await closing;

        Assert.Equal((10019, 4408), (code, close));
        Assert.Equal("no frame was received or sent for 30 s (Host:StreamIdleTimeoutSeconds)", message);
        await host.WaitUntilFreedAsync(service);
    }

    [Fact]
    public async Task ABusySessionIsClosedAtItsMaximumLifetimeWith10112()
    {
        await using var client = await OpenAsync(host.BaseAddress, "echo");
        await client.SendTextChunkAsync("a", status: 0);
        await client.ReceiveAsync();

        var step = StreamingHost.IdleTimeout / 2;
        var lived = TimeSpan.Zero;
        while (lived + step < StreamingHost.MaxLifetime)
        {
            host.Clock.Advance(step);
            lived += step;
            await client.SendTextChunkAsync("a", status: 1);
            await client.ReceiveAsync(); // still open: never idle
        }

        host.Clock.Advance(step);
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10112, 4408), (code, close));
        Assert.Equal("the session reached its maximum lifetime of 600 s (Host:StreamMaxLifetimeSeconds)", message);
        await host.WaitUntilFreedAsync("echo");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AClientThatClosesMidStreamFreesTheSlotAndThePluginSession(string service)
    {
        var before = host.Counters(service).Cancelled;
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0);
        await client.ReceiveAsync();
        Assert.Equal(1, host.Gate(service).Snapshot().Running);
        Assert.Equal(1, PluginSessions(service));

        await client.CloseAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.Socket.CloseStatus); // the host echoed the close
        await host.WaitUntilFreedAsync(service);
        Assert.Equal(0, PluginSessions(service));
        Assert.Equal(before + 1, host.Counters(service).Cancelled);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AClientThatDropsTheConnectionFreesTheSlotAndThePluginSession(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0);
        await client.ReceiveAsync();
        Assert.Equal(1, PluginSessions(service));

        client.Socket.Abort();

        await host.WaitUntilFreedAsync(service);
        Assert.Equal(0, PluginSessions(service));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task BeyondMaxConcurrencyTheUpgradeIsRefusedWith429And10110(string service)
    {
        var sessions = new List<StreamClient>();
        try
        {
            for (var i = 0; i < StreamingHost.MaxSessions; i++)
            {
                sessions.Add(await OpenAsync(host.BaseAddress, service));
            }

            var (status, headers) = await RefusedAsync(host.BaseAddress, service);
            var (rawStatus, rawHeaders, body) = await UpgradeAsync(service);

            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Equal("1", Assert.Single(headers!["Retry-After"]));
            Assert.Equal(429, rawStatus);
            Assert.Equal("1", rawHeaders["retry-after"]);
            var header = JsonDocument.Parse(body).RootElement.GetProperty("header");
            Assert.Equal(10110, header.GetProperty("code").GetInt32());
            Assert.Contains("max concurrency (4: 4 running, 0 queued)", header.GetProperty("message").GetString(), StringComparison.Ordinal);

            // A session that ends makes room for the next.
            await sessions[0].CloseAsync();
            await LoadControlHost.WaitUntil(() => host.Gate(service).Snapshot().Running == StreamingHost.MaxSessions - 1);
            await using var next = await OpenAsync(host.BaseAddress, service);
            await next.SendTextChunkAsync("a", status: 0);
            Assert.Equal("A", Text(await next.ReceiveAsync()));
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }

        await host.WaitUntilFreedAsync(service);
    }

    [Fact]
    public async Task AnOnnxOnlyEngineHasNoSessionsAndIsRefusedBeforeTheUpgrade()
    {
        var (status, _, body) = await UpgradeAsync("gain");

        Assert.Equal(400, status);
        var header = JsonDocument.Parse(body).RootElement.GetProperty("header");
        Assert.Equal(10114, header.GetProperty("code").GetInt32());
        Assert.Equal("engine 'gain' 1.1.0 is ONNX-only: the host runs its model once per call, so it has no streaming sessions; call POST /v1/engines/gain", header.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await RefusedAsync(host.BaseAddress, "gain")).Status);
    }

    [Theory]
    [InlineData("nosuch", 404, 10101)]
    [InlineData("tampered", 503, 10101)]
    public async Task AnUnknownOrUnavailableEngineIsRefusedBeforeTheUpgrade(string service, int expectedStatus, int expectedCode)
    {
        var (status, _, body) = await UpgradeAsync(service);

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedCode, JsonDocument.Parse(body).RootElement.GetProperty("header").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task APlainGetIsToldToUpgrade()
    {
        using var response = await host.Client.GetAsync("/v1/engines/echo/stream");
        var header = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(10400, header.GetProperty("code").GetInt32());
        Assert.Contains("is a WebSocket endpoint", header.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVersionCanBeNamed()
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Wait);
        await socket.ConnectAsync(new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = "/v1/engines/echo/versions/1.0.0/stream" }.Uri, timeout.Token);

        await socket.SendAsync("""{"payload": {"text": {"status": 3, "text": "v"}}}"""u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Assert.Contains("\"text\":\"V\"", System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("textnative")]
    public async Task AReaderThatStopsReadingStopsTheInputAndTheHostHoldsOnlyABoundedNumberOfResults(string service)
    {
        var counters = host.Counters(service);
        var (chunksBefore, resultsBefore) = (counters.ChunksIn, counters.ResultsOut);
        await using var client = await OpenAsync(host.BaseAddress, service);
        var chunk = Enumerable.Repeat((byte)'a', 32 * 1024).ToArray();
        const int Plenty = 4000; // 128 MiB: far more than the socket buffers between client and host hold

        // Send without reading a single result, until a send no longer completes: the host stopped reading.
        var sent = 0;
        Task? stuck = null;
        while (sent < Plenty)
        {
            var send = client.SendBinaryAsync(chunk);
            if (await Task.WhenAny(send, Task.Delay(TimeSpan.FromSeconds(2))) != send)
            {
                stuck = send;
                break;
            }

            sent++;
        }

        Assert.True(stuck is not null, $"the host took all {Plenty} chunks ({Plenty * 32} KiB) while nobody read the results");
        var taken = counters.ChunksIn - chunksBefore;
        var waiting = taken - (counters.ResultsOut - resultsBefore);
        await Task.Delay(500);
        Assert.Equal(taken, counters.ChunksIn - chunksBefore); // and it stays stopped
        // Results made but not sent: the queue (4), a burst past it (native: up to 4 more), one in the pump's hands,
        // one being sent; for a managed plugin also those of frames written while its results had not yet surfaced
        // through its enumerator (at most the frames the server had already buffered: Kestrel keeps 1 MiB, 32 frames).
        var lag = service == "echo" ? (1024 * 1024) / chunk.Length : 0;
        Assert.InRange(waiting, 0, (2 * StreamingHost.SendQueue) + 2 + lag);

        // Reading again lets everything through, in order.
        var reading = ReadAllAsync(client);
        await stuck!.WaitAsync(Wait);
        await client.SendAsync(new { header = new { status = 2 } });
        var (frames, close) = await reading;

        Assert.Equal(1000, close);
        Assert.Equal(sent + 1, frames.Count(f => Status(f) != 2 && Text(f).Length > 0)); // echo answers the empty end chunk with an empty result
        Assert.Equal(new string('A', (sent + 1) * 32 * 1024), Text(frames[^1]));
        await host.WaitUntilFreedAsync(service);
    }

    private static async Task<(List<JsonElement> Frames, int? Close)> ReadAllAsync(StreamClient client)
    {
        var (close, _, frames) = await client.ReceiveCloseAsync();
        return (frames, close);
    }

    /// <summary>
    /// Plugin sessions not closed: echo's own count (in the plugin's load context), else the host's count of
    /// native sessions whose wrapperDestroy has not returned.
    /// </summary>
    private int PluginSessions(string service) => service == "echo"
        ? (int)((ManagedEngine)host.Engine("echo").Engine!).Plugin.GetType().GetField("LiveSessions")!.GetValue(null)!
        : (int)host.Counters(service).PluginSessions;

    /// <summary>The upgrade handshake over a bare socket, to read a refusal's body (ClientWebSocket only gives the status).</summary>
    private async Task<(int Status, Dictionary<string, string> Headers, string Body)> UpgradeAsync(string service)
    {
        await using var raw = await RawHttp.ConnectAsync(host.BaseAddress);
        await raw.SendAsync(
            $"GET /v1/engines/{service}/stream HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        return await raw.ReadResponseAsync(Wait);
    }
}
