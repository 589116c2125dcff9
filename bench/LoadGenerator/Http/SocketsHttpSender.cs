using System.Net;
using System.Net.Sockets;
using Inference.LoadGenerator.Measurement;
using Inference.LoadGenerator.Requests;

namespace Inference.LoadGenerator.Http;

/// <summary>
/// The reference client: .NET's SocketsHttpHandler with one connection of its own, a new
/// HttpRequestMessage per request (it cannot be reused). Kept to measure what the raw client saves,
/// and for https targets.
/// </summary>
internal sealed class SocketsHttpSender : IRequestSender
{
    private readonly HttpMessageInvoker invoker;
    private readonly RequestTarget target;
    private readonly HttpMethod method;
    private readonly TimeSpan timeout;
    private readonly byte[] drain = new byte[32 * 1024];
    private CancellationTokenSource cancellation = new();
    private volatile bool aborted;
    private long connects;

    public SocketsHttpSender(RequestTarget target, TimeSpan timeout)
    {
        this.target = target;
        this.timeout = timeout;
        method = new HttpMethod(target.Method);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectCallback = ConnectAsync,
        };
        invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public long Connects => Interlocked.Read(ref connects);

    public async ValueTask<int> SendAsync()
    {
        if (aborted)
        {
            throw new TransportException(TransportErrorKind.Closed, "aborted");
        }

        cancellation.CancelAfter(timeout);
        try
        {
            using var request = CreateRequest();
            using var response = await invoker.SendAsync(request, cancellation.Token);
            await using var body = await response.Content.ReadAsStreamAsync(cancellation.Token);
            while (await body.ReadAsync(drain, cancellation.Token) > 0)
            {
            }

            return (int)response.StatusCode;
        }
        catch (OperationCanceledException e) when (!aborted)
        {
            throw new TransportException(TransportErrorKind.Timeout, "no complete response within the timeout", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            var kind = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } ? TransportErrorKind.Connect
                : e is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } ? TransportErrorKind.Protocol
                : TransportErrorKind.Closed;
            throw new TransportException(kind, e.Message, e);
        }
        finally
        {
            if (!cancellation.TryReset())
            {
                cancellation.Dispose();
                cancellation = new CancellationTokenSource();
            }
        }
    }

    // Timeouts are the CancellationTokenSource's job here.
    public void CheckTimeout(long nowTimestamp, long timeoutTicks)
    {
    }

    public void Abort()
    {
        aborted = true;
        cancellation.Cancel();
    }

    public void Dispose()
    {
        invoker.Dispose();
        cancellation.Dispose();
    }

    private HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(method, target.Url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (target.Body.Length > 0 || target.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent(target.Body);
        }

        foreach (var header in target.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        return request;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            Interlocked.Increment(ref connects);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
