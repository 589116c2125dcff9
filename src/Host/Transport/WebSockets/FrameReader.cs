using System.Text;
using System.Text.Json;
using Inference.Host.Protocol.Engine;
using Inference.Host.Streaming;
using Inference.Packaging.Manifest;

namespace Inference.Host.Transport.WebSockets;

/// <summary>
/// Reads a client's text frame: the engine-level JSON shape (<c>header</c>, <c>parameter</c>,
/// <c>payload</c>) with streaming's additions. <c>parameter</c> is read from the first frame only, against
/// the manifest as on the one-shot API (10401-10403, defaults filled in). Each payload segment must be
/// declared (10405) and has <c>encoding</c>, <c>status</c> (0-3, else the header's, else implied), <c>seq</c>
/// (shared by the frame's segments; else implied) and <c>data</c> (base64) or <c>text</c> (or neither:
/// no bytes). A frame without payload whose header says end (2) or once (3) ends the current segment.
/// Every problem is reported at once; the code is the first one's.
/// </summary>
internal static class FrameReader
{
    private const int StatusEnd = 2;
    private const int StatusOnce = 3;

    /// <exception cref="StreamFailureException">the frame does not fit the protocol or the manifest.</exception>
    public static ClientFrame Read(ReadOnlyMemory<byte> json, PluginManifest manifest, bool first, string currentSegment, string currentEncoding)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Failure([new(StreamErrorCodes.InvalidFrame, $"a text frame must be JSON: {e.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Failure([new(StreamErrorCodes.InvalidFrame, "a text frame must be a JSON object with header, parameter (first frame) and payload")]);
            }

            var problems = new List<EngineRequestError>();
            var headerStatus = HeaderStatus(root, problems);
            Dictionary<string, object?>? parameters = null;
            Dictionary<string, string?> expect = [];
            if (first)
            {
                parameters = EngineRequestReader.ReadParameters(root, manifest, problems, out expect);
            }
            else if (root.TryGetProperty("parameter", out _))
            {
                problems.Add(new(StreamErrorCodes.InvalidFrame, "parameter is read from the first frame only: a session's parameters are fixed when it opens"));
            }

            var (seq, chunks) = Payload(root, manifest, headerStatus, currentSegment, currentEncoding, problems);
            if (problems.Count > 0)
            {
                throw Failure(problems);
            }

            if (chunks.Count == 0 && headerStatus is StatusEnd or StatusOnce)
            {
                chunks.Add(new EngineDataSegment(currentSegment, currentEncoding, headerStatus.Value, ReadOnlyMemory<byte>.Empty));
            }

            return new ClientFrame(parameters, expect, seq, chunks);
        }
    }

    /// <summary>The session's parameters when it opens without a text frame (a binary first frame): the manifest's defaults.</summary>
    public static IReadOnlyDictionary<string, object?> Defaults(PluginManifest manifest)
    {
        using var empty = JsonDocument.Parse("{}"u8.ToArray());
        var problems = new List<EngineRequestError>();
        var parameters = EngineRequestReader.ReadParameters(empty.RootElement, manifest, problems, out _);
        return problems.Count > 0
            ? throw Failure([new(problems[0].Code, "the first frame is binary, so the session opens with the manifest's defaults: " + string.Join("; ", problems.Select(p => p.Message)) + "; send a text frame with parameter first")])
            : parameters;
    }

    private static StreamFailureException Failure(List<EngineRequestError> problems) =>
        new(StreamFailure.Protocol(problems[0].Code, string.Join("; ", problems.Select(p => p.Message))));

    private static int? HeaderStatus(JsonElement root, List<EngineRequestError> problems)
    {
        if (!root.TryGetProperty("header", out var header))
        {
            return null;
        }

        if (header.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(StreamErrorCodes.InvalidFrame, "header must be an object"));
            return null;
        }

        if (!header.TryGetProperty("status", out var status))
        {
            return null;
        }

        if (status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out var value) && value is >= 0 and <= 3)
        {
            return value;
        }

        problems.Add(new(StreamErrorCodes.InvalidFrame, "header.status must be 0 (begin), 1 (continue), 2 (end) or 3 (once)"));
        return null;
    }

    private static (long? Seq, List<EngineDataSegment> Chunks) Payload(JsonElement root, PluginManifest manifest, int? headerStatus, string currentSegment, string currentEncoding, List<EngineRequestError> problems)
    {
        var chunks = new List<EngineDataSegment>(1);
        long? seq = null;
        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind == JsonValueKind.Null)
        {
            return (null, chunks);
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(StreamErrorCodes.InvalidFrame, "payload must be an object of request segments"));
            return (null, chunks);
        }

        foreach (var field in payload.EnumerateObject())
        {
            var declared = manifest.Request.FirstOrDefault(s => s.Name == field.Name);
            if (declared is null)
            {
                problems.Add(new(EngineErrorCodes.InvalidSegment, $"payload segment '{field.Name}' is not a request segment (declared: {string.Join(", ", manifest.Request.Select(s => s.Name))})"));
                continue;
            }

            if (field.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(StreamErrorCodes.InvalidFrame, $"payload segment '{field.Name}' must be an object with encoding, status, seq and data (base64) or text"));
                continue;
            }

            var segment = field.Value;
            var encoding = field.Name == currentSegment ? currentEncoding : declared.Encodings[0];
            if (segment.TryGetProperty("encoding", out var e))
            {
                encoding = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
                if (!declared.Encodings.Contains(encoding))
                {
                    problems.Add(new(EngineErrorCodes.InvalidSegment, $"payload segment '{field.Name}' has encoding '{e}'; it accepts {string.Join(", ", declared.Encodings)}"));
                }
            }

            var status = headerStatus ?? StreamSequencer.ImpliedStatus;
            if (segment.TryGetProperty("status", out var s))
            {
                if (s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var value) && value is >= 0 and <= 3)
                {
                    status = value;
                }
                else
                {
                    problems.Add(new(StreamErrorCodes.InvalidFrame, $"payload segment '{field.Name}': status must be 0 (begin), 1 (continue), 2 (end) or 3 (once)"));
                }
            }

            if (segment.TryGetProperty("seq", out var q))
            {
                if (q.ValueKind != JsonValueKind.Number || !q.TryGetInt64(out var number) || number < 1)
                {
                    problems.Add(new(StreamErrorCodes.InvalidFrame, $"payload segment '{field.Name}': seq must be a positive integer (frames are numbered from 1), got {q.GetRawText()}"));
                }
                else if (seq is { } other && other != number)
                {
                    problems.Add(new(StreamErrorCodes.InvalidFrame, $"the segments of one frame share its seq; got {other} and {number}"));
                }
                else
                {
                    seq = number;
                }
            }

            if (Bytes(field.Name, segment, problems) is { } data)
            {
                chunks.Add(new EngineDataSegment(field.Name, encoding, status, data));
            }
        }

        return (seq, chunks);
    }

    private static byte[]? Bytes(string name, JsonElement segment, List<EngineRequestError> problems)
    {
        var hasData = segment.TryGetProperty("data", out var data);
        var hasText = segment.TryGetProperty("text", out var text);
        if (hasData && hasText)
        {
            problems.Add(new(StreamErrorCodes.InvalidFrame, $"payload segment '{name}' has both data and text; send one"));
            return null;
        }

        if (hasText)
        {
            if (text.ValueKind == JsonValueKind.String)
            {
                return Encoding.UTF8.GetBytes(text.GetString()!);
            }

            problems.Add(new(StreamErrorCodes.InvalidFrame, $"payload segment '{name}': text must be a string"));
            return null;
        }

        if (!hasData)
        {
            return [];
        }

        if (data.ValueKind == JsonValueKind.String && data.TryGetBytesFromBase64(out var bytes))
        {
            return bytes;
        }

        problems.Add(new(StreamErrorCodes.InvalidFrame, $"payload segment '{name}': data must be base64"));
        return null;
    }
}
