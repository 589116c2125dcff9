using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>
/// A test's end of a streaming session: a real <see cref="ClientWebSocket"/> to the host, frames as
/// JSON, every wait bounded so a broken host fails the test instead of hanging it.
/// </summary>
public sealed class StreamClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private StreamClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static Uri StreamUri(Uri baseAddress, string service) =>
        new UriBuilder(baseAddress) { Scheme = "ws", Path = $"/v1/engines/{service}/stream" }.Uri;

    public static async Task<StreamClient> ConnectAsync(Uri baseAddress, string service)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(Wait);
        await socket.ConnectAsync(StreamUri(baseAddress, service), timeout.Token);
        return new StreamClient(socket);
    }

    /// <summary>Opens a session and sends its first frame with <paramref name="parameters"/>.</summary>
    public static async Task<StreamClient> OpenAsync(Uri baseAddress, string service, object? parameters = null)
    {
        var client = await ConnectAsync(baseAddress, service);
        await client.SendAsync(new { header = new { status = 0 }, parameter = parameters ?? new { } });
        return client;
    }

    /// <summary>Tries to connect; the handshake's status and headers when the host refuses the upgrade.</summary>
    public static async Task<(HttpStatusCode Status, IReadOnlyDictionary<string, IEnumerable<string>>? Headers)> RefusedAsync(Uri baseAddress, string service)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(Wait);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(StreamUri(baseAddress, service), timeout.Token));
        return (socket.HttpStatusCode, socket.HttpResponseHeaders);
    }

    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Wait);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    public async Task SendBinaryAsync(byte[] data)
    {
        using var timeout = new CancellationTokenSource(Wait);
        await Socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
    }

    /// <summary>A text chunk of <c>text</c> (echo and the native sample's segment) with its status and, if given, its seq.</summary>
    public Task SendTextChunkAsync(string text, int status, long? seq = null) => SendAsync(new Dictionary<string, object>
    {
        ["payload"] = new Dictionary<string, object>
        {
            ["text"] = seq is null ? new { encoding = "utf8", status, text } : new { encoding = "utf8", status, seq = seq.Value, text },
        },
    });

    /// <summary>The next frame from the host (a JSON object); fails if the host closes instead.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        var (type, bytes) = await ReceiveMessageAsync();
        Assert.True(type == WebSocketMessageType.Text, $"expected a frame, got {type} ({Socket.CloseStatus} {Socket.CloseStatusDescription})");
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    /// <summary>The close the host sends next (frames before it are returned too), answered as a client should.</summary>
    public async Task<(int? Code, string? Reason, List<JsonElement> Frames)> ReceiveCloseAsync()
    {
        var frames = new List<JsonElement>();
        while (true)
        {
            var (type, bytes) = await ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
            {
                using var timeout = new CancellationTokenSource(Wait);
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }

                return ((int?)Socket.CloseStatus, Socket.CloseStatusDescription, frames);
            }

            frames.Add(JsonDocument.Parse(bytes).RootElement.Clone());
        }
    }

    /// <summary>The error frame and the close that follows it.</summary>
    public async Task<(int Code, string Message, int? CloseCode, JsonElement Header)> ReceiveErrorAsync()
    {
        var (closeCode, _, frames) = await ReceiveCloseAsync();
        var header = Assert.Single(frames).GetProperty("header");
        return (header.GetProperty("code").GetInt32(), header.GetProperty("message").GetString()!, closeCode, header);
    }

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public static string Text(JsonElement frame, string segment = "result") =>
        frame.GetProperty("payload").GetProperty(segment).GetProperty("text").GetString()!;

    public static int Status(JsonElement frame) => frame.GetProperty("header").GetProperty("status").GetInt32();

    private async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveMessageAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
