using System.Text;
using System.Text.Json;
using Inference.Host.Protocol.Oip.Messages;

namespace Inference.Host.Transport.Health;

/// <summary>What the health listener answers to one request, as the bytes to send.</summary>
public static class HealthResponse
{
    public const string LivePath = "/v2/health/live";
    public const string ReadyPath = "/v2/health/ready";

    /// <summary>The answer to <paramref name="request"/>; <paramref name="close"/> says the connection ends after it.</summary>
    public static byte[] For(HealthRequest request, HealthProbe probe, out bool close)
    {
        close = !request.KeepAlive;
        if (request.ContentLength != 0)
        {
            // The body is not read, so the connection cannot be reused after it.
            close = true;
            return Error(400, "Bad Request", "health requests carry no body", close);
        }

        if (request.Method is not ("GET" or "HEAD"))
        {
            return Error(405, "Method Not Allowed", $"{request.Method} is not allowed here; use GET or HEAD", close, "Allow: GET, HEAD\r\n");
        }

        return request.Path switch
        {
            LivePath => Empty(200, "OK", close),
            ReadyPath => probe.IsReady() ? Empty(200, "OK", close) : Empty(503, "Service Unavailable", close),
            _ => Error(404, "Not Found", $"'{request.Path}' is not served on the health port; it serves {LivePath} and {ReadyPath}", close, withBody: request.Method == "GET"),
        };
    }

    /// <summary>The answer to bytes that are not an HTTP/1.x request head (or one too long); the connection closes.</summary>
    public static byte[] Malformed(string why) => Error(400, "Bad Request", why, close: true);

    private static byte[] Empty(int status, string reason, bool close) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\n{(close ? "Connection: close\r\n" : "")}\r\n");

    private static byte[] Error(int status, string reason, string message, bool close, string extraHeaders = "", bool withBody = true)
    {
        // The same error body as the HTTP port's ({"error": "..."}); HEAD gets its length but not the bytes.
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(message), OipJsonContext.Relaxed.ErrorResponse);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n{extraHeaders}{(close ? "Connection: close\r\n" : "")}\r\n");
        return withBody ? [.. head, .. body] : head;
    }
}
