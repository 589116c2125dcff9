using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inference.Host.Protocol.Engine;

/// <summary>
/// The pieces of the engine API's JSON that the one-shot answer and the streaming frames (WebSocket, SSE)
/// share: how a segment's bytes are written, and the error object.
/// </summary>
public static class EngineJson
{
    /// <summary>Plugin texts are written as they are (no \u escapes for non-ASCII), as the ASE loader does.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> TextEncodings = new(StringComparer.OrdinalIgnoreCase) { "utf8", "utf-8", "plain", "text", "json" };

    /// <summary>A segment's bytes: as <c>"text"</c> when its encoding is textual and the bytes are UTF-8, else base64 <c>"data"</c>.</summary>
    public static void WriteData(Utf8JsonWriter json, EngineDataSegment segment)
    {
        if (TextEncodings.Contains(segment.Encoding) && System.Text.Unicode.Utf8.IsValid(segment.Data.Span))
        {
            json.WriteString("text", segment.Data.Span);
        }
        else
        {
            json.WriteBase64String("data", segment.Data.Span);
        }
    }

    /// <summary>An error: <c>{"header":{"code","message"[,"sid"][,"description","strategy"]}}</c>.</summary>
    public static void WriteError(Utf8JsonWriter json, int code, string message, string? sessionId, string? description, string? strategy)
    {
        json.WriteStartObject();
        json.WriteStartObject("header");
        json.WriteNumber("code", code);
        json.WriteString("message", message);
        if (sessionId is not null)
        {
            json.WriteString("sid", sessionId);
        }

        if (description is not null)
        {
            json.WriteString("description", description);
        }

        if (strategy is not null)
        {
            json.WriteString("strategy", strategy);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
