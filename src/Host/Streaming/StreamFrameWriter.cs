using System.Buffers;
using System.Text.Json;
using Inference.Host.Protocol.Engine;

namespace Inference.Host.Streaming;

/// <summary>
/// Writes the host's streaming frames (WebSocket messages, Server-Sent Events' data), in the engine API's response shape: a result
/// <c>{"header":{"code":0,"message":"success","sid","status"},"payload":{"&lt;segment&gt;":{"encoding","status","seq","text"|"data"}}}</c>
/// (<c>seq</c> counts the session's results from 1; text encodings as text, others base64), or an error
/// <c>{"header":{"code","message","sid"[,"description","strategy"]}}</c>.
/// </summary>
internal static class StreamFrameWriter
{
    public static void Result(IBufferWriter<byte> output, string sessionId, long seq, EngineDataSegment result)
    {
        using var json = new Utf8JsonWriter(output, EngineJson.WriterOptions);
        json.WriteStartObject();
        json.WriteStartObject("header");
        json.WriteNumber("code", 0);
        json.WriteString("message", "success");
        json.WriteString("sid", sessionId);
        json.WriteNumber("status", result.Status);
        json.WriteEndObject();
        json.WriteStartObject("payload");
        json.WriteStartObject(result.Name);
        json.WriteString("encoding", result.Encoding);
        json.WriteNumber("status", result.Status);
        json.WriteNumber("seq", seq);
        EngineJson.WriteData(json, result);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static void Error(IBufferWriter<byte> output, string sessionId, StreamFailure failure)
    {
        using var json = new Utf8JsonWriter(output, EngineJson.WriterOptions);
        EngineJson.WriteError(json, failure.Code, failure.Message, sessionId, failure.Description, failure.Strategy);
    }
}
