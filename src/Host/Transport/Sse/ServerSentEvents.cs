using System.Buffers;
using Inference.Host.Buffers;
using Microsoft.AspNetCore.Http;

namespace Inference.Host.Transport.Sse;

/// <summary>
/// The <c>text/event-stream</c> framing: one event is an optional <c>event:</c> line, one <c>data:</c>
/// line (our data is single-line JSON: Utf8JsonWriter escapes line breaks), and a blank line. Each event
/// is flushed at once, so a client sees a partial result as soon as the engine yields it.
/// </summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream; charset=utf-8";

    /// <summary>The event type of a failure after the first event, when the status line is already sent.</summary>
    public const string ErrorEvent = "error";

    /// <summary>Sets the response up as an event stream; nothing is sent until the first event.</summary>
    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // Proxies (nginx) would otherwise hold the events back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
    }

    public static bool IsEventStream(HttpResponse response) => response.ContentType == ContentType;

    /// <summary>Writes and flushes one event whose data <paramref name="writeData"/> writes.</summary>
    public static async Task WriteAsync(HttpResponse response, string? eventName, Action<IBufferWriter<byte>> writeData, CancellationToken cancellationToken)
    {
        using (var buffer = PooledBufferWriter.Rent())
        {
            if (eventName is not null)
            {
                Write(buffer, "event: "u8);
                System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.UTF8, eventName.AsSpan(), buffer);
                Write(buffer, "\n"u8);
            }

            Write(buffer, "data: "u8);
            writeData(buffer);
            Write(buffer, "\n\n"u8);
            await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }

        await response.Body.FlushAsync(cancellationToken);
    }

    private static void Write(IBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
    }
}
