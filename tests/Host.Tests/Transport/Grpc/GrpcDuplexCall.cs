using System.Buffers.Binary;
using System.Net;
using System.Threading.Channels;
using Google.Protobuf;
using Inference.Host.Errors;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>
/// A bidirectional streaming call over HttpClient: request messages are written into the HTTP/2 request
/// body as they are sent, response messages read as they arrive, and the status from the trailers at the end.
/// </summary>
public sealed class GrpcDuplexCall : IAsyncDisposable
{
    private readonly Channel<byte[]> outgoing = Channel.CreateUnbounded<byte[]>();
    private readonly Task<HttpResponseMessage> responseTask;
    private readonly HttpRequestMessage request;
    private HttpResponseMessage? response;
    private Stream? body;

    private GrpcDuplexCall(HttpClient http, string path, IEnumerable<(string Name, string Value)>? headers, CancellationToken cancellationToken)
    {
        request = GrpcTestClient.Request(path, new ChannelContent(outgoing.Reader), headers);
        responseTask = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static GrpcDuplexCall Start(GrpcTestClient client, string path, IEnumerable<(string Name, string Value)>? headers = null, CancellationToken cancellationToken = default) =>
        new(client.Http, path, headers, cancellationToken);

    public ValueTask SendAsync(IMessage message) => outgoing.Writer.WriteAsync(GrpcTestClient.Frame(message));

    /// <summary>Closes the client's side of the stream (END_STREAM).</summary>
    public void CompleteRequests() => outgoing.Writer.TryComplete();

    /// <summary>The next response message, or null at the end of the response.</summary>
    public async Task<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken = default)
        where T : class, IMessage<T>
    {
        response ??= await responseTask.WaitAsync(cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        body ??= await response.Content.ReadAsStreamAsync(cancellationToken);
        var prefix = new byte[5];
        var read = await body.ReadAtLeastAsync(prefix, 5, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        Assert.Equal(5, read);
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1))];
        await body.ReadExactlyAsync(payload, cancellationToken);
        return parser.ParseFrom(payload);
    }

    /// <summary>The call's status, once the response has been read to its end.</summary>
    public (GrpcStatusCode? Status, string? Message) Status()
    {
        var (status, message, _) = GrpcTestClient.StatusOf(response ?? throw new InvalidOperationException("no response yet"));
        return (status, message);
    }

    public async ValueTask DisposeAsync()
    {
        outgoing.Writer.TryComplete();
        if (body is not null)
        {
            await body.DisposeAsync();
        }

        response?.Dispose();
        request.Dispose();
    }

    private sealed class ChannelContent(ChannelReader<byte[]> frames) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await foreach (var frame in frames.ReadAllAsync())
            {
                await stream.WriteAsync(frame);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
