using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Inference.LoadGenerator.Measurement;

namespace Inference.LoadGenerator.Http;

/// <summary>
/// The low-overhead client: a plain socket, the request serialized once and written as is, and
/// <see cref="HttpResponseParser"/> reading the answer without copying its body. Timeouts come from
/// the run's watchdog (<see cref="CheckTimeout"/>) rather than a timer per request. A
/// <paramref name="blocking"/> sender makes blocking socket calls, so <see cref="SendAsync"/> completes on
/// the caller's thread without the thread pool (the health probe's dedicated thread: its latency must
/// not include the wait for a pool thread that the load's own clients keep busy).
/// </summary>
internal sealed class RawHttpSender(EndPoint endPoint, ReadOnlyMemory<byte> request, bool headRequest, bool blocking = false) : IRequestSender
{
    private const int BufferSize = 32 * 1024;
    private readonly byte[] buffer = new byte[BufferSize];
    private readonly HttpResponseParser parser = new();
    private Socket? socket;
    private int pendingStart;
    private int pendingEnd;
    private long inFlightSince;
    private volatile bool timedOut;

    public long Connects { get; private set; }

    // Pooled: the state machine would otherwise be allocated afresh for every request that waits.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> SendAsync()
    {
        timedOut = false;
        Volatile.Write(ref inFlightSince, Stopwatch.GetTimestamp());
        try
        {
            var connection = socket ?? await ConnectAsync();
            await WriteAsync(connection);
            parser.Reset(headRequest);
            while (true)
            {
                if (pendingStart < pendingEnd)
                {
                    pendingStart += parser.Parse(buffer.AsSpan(pendingStart, pendingEnd - pendingStart));
                    if (parser.IsComplete)
                    {
                        break;
                    }
                }

                pendingStart = 0;
                pendingEnd = blocking ? connection.Receive(buffer) : await connection.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
                if (pendingEnd == 0 && !parser.CompleteAtEndOfStream())
                {
                    throw new TransportException(TransportErrorKind.Closed, "the server closed the connection before the response was complete");
                }

                if (parser.IsComplete)
                {
                    break;
                }
            }

            if (!parser.KeepAlive)
            {
                Close();
            }

            return parser.StatusCode;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or MalformedResponseException or TransportException)
        {
            Close();
            if (timedOut)
            {
                throw new TransportException(TransportErrorKind.Timeout, "no complete response within the timeout", e);
            }

            throw e switch
            {
                TransportException transport => transport,
                MalformedResponseException => new TransportException(TransportErrorKind.Protocol, e.Message, e),
                _ => new TransportException(TransportErrorKind.Closed, e.Message, e),
            };
        }
        finally
        {
            Volatile.Write(ref inFlightSince, 0);
        }
    }

    public void CheckTimeout(long nowTimestamp, long timeoutTicks)
    {
        var since = Volatile.Read(ref inFlightSince);
        if (since != 0 && nowTimestamp - since > timeoutTicks)
        {
            timedOut = true;
            Volatile.Read(ref socket)?.Dispose();
        }
    }

    public void Abort() => Volatile.Read(ref socket)?.Dispose();

    public void Dispose() => Close();

    private async ValueTask<Socket> ConnectAsync()
    {
        var created = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Volatile.Write(ref socket, created);
        try
        {
            if (blocking)
            {
                created.Connect(endPoint);
            }
            else
            {
                await created.ConnectAsync(endPoint);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw timedOut
                ? new TransportException(TransportErrorKind.Timeout, $"connecting to {endPoint} timed out", e)
                : new TransportException(TransportErrorKind.Connect, $"cannot connect to {endPoint}: {e.Message}", e);
        }

        Connects++;
        pendingStart = pendingEnd = 0;
        return created;
    }

    private async ValueTask WriteAsync(Socket connection)
    {
        var rest = request;
        while (!rest.IsEmpty)
        {
            var sent = blocking ? connection.Send(rest.Span) : await connection.SendAsync(rest, SocketFlags.None);
            rest = rest[sent..];
        }
    }

    private void Close()
    {
        Interlocked.Exchange(ref socket, null)?.Dispose();
        pendingStart = pendingEnd = 0;
    }
}
