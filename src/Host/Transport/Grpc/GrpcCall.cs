using Google.Protobuf;
using Inference.Host.Admission;
using Inference.Host.Errors;
using Microsoft.AspNetCore.Http;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// One gRPC call: its HTTP/2 request, its message reader, when it arrived, and its deadline from
/// <c>grpc-timeout</c>. <see cref="Token"/> fires when the client cancels (RST_STREAM, which Kestrel
/// turns into <see cref="HttpContext.RequestAborted"/>) or the deadline passes. Dispose it when the call ends.
/// </summary>
public sealed class GrpcCall : IDisposable
{
    private readonly RequestDeadline deadline;

    private GrpcCall(HttpContext context, GrpcMessageReader reader, long arrival, long? timeoutMicroseconds)
    {
        Context = context;
        Reader = reader;
        Arrival = arrival;
        TimeoutMicroseconds = timeoutMicroseconds;
        deadline = RequestDeadline.Start(timeoutMicroseconds ?? 0, arrival, TimeProvider.System, context.RequestAborted);
    }

    public HttpContext Context { get; }

    public GrpcMessageReader Reader { get; }

    /// <summary>When the call arrived (a <see cref="TimeProvider.System"/> timestamp): deadlines count from here.</summary>
    public long Arrival { get; }

    /// <summary>The call's <c>grpc-timeout</c> in microseconds from <see cref="Arrival"/>; null when the client set none.</summary>
    public long? TimeoutMicroseconds { get; }

    /// <summary>The client went away or reset the stream.</summary>
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>Fires when the client goes away or the call's deadline passes.</summary>
    public CancellationToken Token => deadline.Token;

    /// <summary>The call's deadline passed (and the client had not gone away first).</summary>
    public bool DeadlineExpired => deadline.Expired;

    /// <summary>
    /// Starts a call; a <c>grpc-timeout</c> that is not 1-8 digits and a unit is refused with
    /// INVALID_ARGUMENT naming it, rather than silently serving without a deadline.
    /// </summary>
    public static GrpcCall Start(HttpContext context, int maxMessageBytes, long arrival)
    {
        var headers = context.Request.Headers;
        long? timeout = null;
        if (headers.TryGetValue(GrpcProtocol.TimeoutHeader, out var values))
        {
            if (values.Count != 1 || !GrpcTimeout.TryParse(values[0], out timeout))
            {
                throw new GrpcException(GrpcStatusCode.InvalidArgument, $"grpc-timeout '{values}' is not 1 to 8 digits followed by a unit (H, M, S, m, u, n)");
            }
        }

        var encoding = headers.TryGetValue(GrpcProtocol.EncodingHeader, out var e) ? e.ToString() : null;
        return new GrpcCall(context, new GrpcMessageReader(context.Request.BodyReader, maxMessageBytes, encoding), arrival, timeout);
    }

    /// <summary>The one request message of a unary call.</summary>
    public ValueTask<T> ReadSingleAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        Reader.ReadSingleAsync(parser, Token);

    /// <summary>The next request message of a stream; null when the client has closed its side.</summary>
    public ValueTask<T?> ReadNextAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        Reader.ReadAsync(parser, Token);

    /// <summary>
    /// Sends one response message (the headers first, on the first one). A stream's messages are
    /// flushed at once; a unary call's is not (<paramref name="flush"/> false), so that it leaves with the
    /// trailers in one write when the call ends, as Grpc.AspNetCore does.
    /// </summary>
    public async ValueTask WriteAsync(IMessage message, bool flush = true)
    {
        var response = Context.Response;
        if (!response.HasStarted)
        {
            // Headers first: writing into the body pipe before the response starts is not allowed.
            await response.StartAsync(Token);
        }

        GrpcMessageWriter.Write(response.BodyWriter, message);
        if (flush)
        {
            await response.BodyWriter.FlushAsync(Token);
        }
    }

    public void Dispose() => deadline.Dispose();
}
