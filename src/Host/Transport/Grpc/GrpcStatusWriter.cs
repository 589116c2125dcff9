using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// Ends a call with its status. When nothing was sent yet it is a "trailers-only" response: status 200
/// with <c>grpc-status</c> and <c>grpc-message</c> in the headers and no body (as Grpc.AspNetCore does
/// for a call that fails before its first message); otherwise they go in the HTTP/2 trailers.
/// </summary>
public static class GrpcStatusWriter
{
    public static void Write(HttpResponse response, GrpcStatus status)
    {
        var code = ((int)status.Code).ToString(CultureInfo.InvariantCulture);
        var message = status.Message is { Length: > 0 } text ? GrpcMessageEncoding.Encode(text) : null;
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            response.Headers[GrpcProtocol.StatusName] = code;
            if (message is not null)
            {
                response.Headers[GrpcProtocol.MessageName] = message;
            }

            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusName, code);
        if (message is not null)
        {
            response.AppendTrailer(GrpcProtocol.MessageName, message);
        }
    }
}
