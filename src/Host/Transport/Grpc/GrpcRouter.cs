using System.Collections.Frozen;
using System.Diagnostics;
using Inference.Host.Configuration;
using Inference.Host.Errors;
using Inference.Host.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// Serves every request that arrives on the gRPC port: checks it is a gRPC call (POST,
/// <c>application/grpc</c>: else 405 / 415, as the spec asks, so that a plain HTTP client does not read a
/// 200 as success), finds its method by path (unknown: UNIMPLEMENTED), and ends the call with the
/// method's status in the trailers. A client that cancels gets nothing more (its stream is gone); a
/// passed deadline is DEADLINE_EXCEEDED.
/// </summary>
public sealed class GrpcRouter
{
    private readonly FrozenDictionary<string, IGrpcMethod> methods;
    private readonly int maxMessageBytes;
    private readonly ILogger logger;

    public GrpcRouter(IEnumerable<IGrpcMethod> methods, IOptions<ServerOptions> options, ILogger<GrpcRouter> logger)
    {
        this.methods = methods.ToFrozenDictionary(m => m.Path, StringComparer.Ordinal);
        maxMessageBytes = options.Value.EffectiveGrpcMaxMessageBytes;
        this.logger = logger;
    }

    public int MaxMessageBytes => maxMessageBytes;

    public IReadOnlyCollection<string> Paths => methods.Keys;

    public async Task HandleAsync(HttpContext context)
    {
        var arrival = Stopwatch.GetTimestamp();
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "";
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            var text = $"content-type '{request.ContentType}' is not application/grpc";
            response.Headers[GrpcProtocol.StatusName] = ((int)GrpcStatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers[GrpcProtocol.MessageName] = GrpcMessageEncoding.Encode(text);
            GrpcLog.Refused(logger, path, text);
            return;
        }

        // gRPC clients check the response's content type before reading any message.
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
        if (!methods.TryGetValue(path, out var method))
        {
            End(response, path, new GrpcStatus(GrpcStatusCode.Unimplemented, $"no method '{path}' here; this port serves {string.Join(", ", methods.Keys.Order(StringComparer.Ordinal))}"));
            return;
        }

        GrpcCall? call = null;
        GrpcStatus status;
        try
        {
            call = GrpcCall.Start(context, maxMessageBytes, arrival);
            status = await method.HandleAsync(call);
        }
        catch (GrpcException e)
        {
            status = e.Status;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // RST_STREAM or a dropped connection: nobody is left to read a status.
            GrpcLog.CallCancelled(logger, path, Stopwatch.GetElapsedTime(arrival).TotalMilliseconds);
            call?.Dispose();
            return;
        }
        catch (OperationCanceledException) when (call is { DeadlineExpired: true })
        {
            status = new GrpcStatus(GrpcStatusCode.DeadlineExceeded, $"the call's deadline (grpc-timeout {call.TimeoutMicroseconds} us) passed after {(long)Stopwatch.GetElapsedTime(arrival).TotalMicroseconds} us");
        }
        catch (Exception e)
        {
            GrpcLog.Unexpected(logger, path, e);
            status = new GrpcStatus(GrpcStatusCode.Internal, $"internal error serving {path}: {e.Message}");
        }

        call?.Dispose();
        if (context.RequestAborted.IsCancellationRequested)
        {
            GrpcLog.CallCancelled(logger, path, Stopwatch.GetElapsedTime(arrival).TotalMilliseconds);
            return;
        }

        End(response, path, status);
    }

    private void End(HttpResponse response, string path, GrpcStatus status)
    {
        if (status.Code != GrpcStatusCode.OK)
        {
            GrpcLog.CallFailed(logger, path, status.Code.ToString(), status.Message);
        }

        GrpcStatusWriter.Write(response, status);
    }
}
