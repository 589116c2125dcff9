using System.Text;
using System.Text.Json;
using Inference.Packaging.Manifest;

namespace Inference.Host.Protocol.Engine;

/// <summary>
/// Reads the engine-level request (<c>header</c>, <c>parameter</c>, <c>payload</c>, the ASE loader's JSON
/// shape) and checks it against the plugin's manifest before the plugin sees anything: unknown, missing
/// or invalid parameters, missing or undeclared segments, encodings the manifest does not list. All
/// problems are reported together; the code is that of the first. Defaults are filled in.
/// </summary>
public static class EngineRequestReader
{
    /// <summary>Status of a one-shot request (the default when the header gives none).</summary>
    public const int StatusOnce = 3;

    public static EngineRequestError? Read(ReadOnlySpan<byte> body, PluginManifest manifest, out EngineRequest? request)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return new EngineRequestError(EngineErrorCodes.InvalidRequest, $"the body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new EngineRequestError(EngineErrorCodes.InvalidRequest, "the body must be a JSON object with header, parameter and payload");
            }

            var problems = new List<EngineRequestError>();
            var (requestId, appId, status) = ReadHeader(root, problems);
            var priority = ControlValue(root, "priority");
            var timeout = ControlValue(root, "timeout");
            var parameters = ReadParameters(root, manifest, problems, out var expect);
            var payload = ReadPayload(root, manifest, problems);
            if (problems.Count > 0)
            {
                return new EngineRequestError(problems[0].Code, string.Join("; ", problems.Select(p => p.Message)));
            }

            request = new EngineRequest(requestId, appId, status, parameters, expect, payload) { Priority = priority, Timeout = timeout };
            return null;
        }
    }

    /// <summary>A load-control field of the header, left for admission to judge (with the HTTP headers).</summary>
    private static object? ControlValue(JsonElement root, string name)
    {
        if (!root.TryGetProperty("header", out var header) || header.ValueKind != JsonValueKind.Object || !header.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var l) => l,
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => value.GetRawText(),
        };
    }

    private static (string RequestId, string? AppId, int Status) ReadHeader(JsonElement root, List<EngineRequestError> problems)
    {
        string? requestId = null, appId = null;
        var status = StatusOnce;
        if (!root.TryGetProperty("header", out var header))
        {
            return (Guid.NewGuid().ToString("N"), null, status);
        }

        if (header.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(EngineErrorCodes.InvalidRequest, "header must be an object"));
            return ("", null, status);
        }

        foreach (var field in header.EnumerateObject())
        {
            switch (field.Name)
            {
                case "request_id" when field.Value.ValueKind == JsonValueKind.String:
                    requestId = field.Value.GetString();
                    break;
                case "app_id" when field.Value.ValueKind == JsonValueKind.String:
                    appId = field.Value.GetString();
                    break;
                case "status" when field.Value.TryGetInt32(out var s) && s is >= 0 and <= 3:
                    status = s;
                    break;
                case "request_id" or "app_id":
                    problems.Add(new(EngineErrorCodes.InvalidRequest, $"header.{field.Name} must be a string"));
                    break;
                case "status":
                    problems.Add(new(EngineErrorCodes.InvalidRequest, "header.status must be 0 (begin), 1 (continue), 2 (end) or 3 (once)"));
                    break;
            }
        }

        return (requestId ?? Guid.NewGuid().ToString("N"), appId, status);
    }

    /// <summary>The request's <c>parameter</c> (and <c>expect</c>) checked against the manifest, defaults filled in; also the streaming protocol's first frame.</summary>
    internal static Dictionary<string, object?> ReadParameters(JsonElement root, PluginManifest manifest, List<EngineRequestError> problems, out Dictionary<string, string?> expect)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        expect = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (root.TryGetProperty("parameter", out var parameter))
        {
            if (parameter.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(EngineErrorCodes.InvalidRequest, "parameter must be an object"));
            }
            else
            {
                foreach (var field in parameter.EnumerateObject())
                {
                    if (field.Name == "expect")
                    {
                        ReadExpect(field.Value, manifest, problems, expect);
                        continue;
                    }

                    var definition = manifest.Parameters.FirstOrDefault(p => p.Name == field.Name);
                    if (definition is null)
                    {
                        problems.Add(new(EngineErrorCodes.UnknownParameter, $"unknown parameter '{field.Name}' (declared: {string.Join(", ", manifest.Parameters.Select(p => p.Name))})"));
                    }
                    else if (!ParameterValues.TryConvert(definition, Raw(field.Value), out var value, out var error))
                    {
                        problems.Add(new(EngineErrorCodes.InvalidParameter, error!));
                    }
                    else
                    {
                        values[field.Name] = value;
                    }
                }
            }
        }

        foreach (var definition in manifest.Parameters)
        {
            if (values.ContainsKey(definition.Name))
            {
                continue;
            }

            if (definition.Required)
            {
                problems.Add(new(EngineErrorCodes.MissingParameter, $"required parameter '{definition.Name}' is missing"));
            }
            else
            {
                values[definition.Name] = definition.Default;
            }
        }

        return values;
    }

    private static void ReadExpect(JsonElement element, PluginManifest manifest, List<EngineRequestError> problems, Dictionary<string, string?> expect)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(EngineErrorCodes.InvalidExpect, "parameter.expect must be an object of response segments"));
            return;
        }

        foreach (var field in element.EnumerateObject())
        {
            var segment = manifest.Response.FirstOrDefault(s => s.Name == field.Name);
            if (segment is null)
            {
                problems.Add(new(EngineErrorCodes.InvalidExpect, $"expected output '{field.Name}' is not a response segment (declared: {string.Join(", ", manifest.Response.Select(s => s.Name))})"));
                continue;
            }

            string? encoding = null;
            if (field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("encoding", out var e))
            {
                encoding = e.GetString();
                if (encoding is null || !segment.Encodings.Contains(encoding))
                {
                    problems.Add(new(EngineErrorCodes.InvalidExpect, $"output '{field.Name}' cannot be encoded as '{encoding}' (it offers: {string.Join(", ", segment.Encodings)})"));
                }
            }

            expect[field.Name] = encoding;
        }
    }

    private static Dictionary<string, EngineDataSegment> ReadPayload(JsonElement root, PluginManifest manifest, List<EngineRequestError> problems)
    {
        var result = new Dictionary<string, EngineDataSegment>(StringComparer.Ordinal);
        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(EngineErrorCodes.MissingSegment, $"payload must be an object with the request segments: {string.Join(", ", manifest.Request.Select(s => s.Name))}"));
            return result;
        }

        foreach (var field in payload.EnumerateObject())
        {
            var segment = manifest.Request.FirstOrDefault(s => s.Name == field.Name);
            if (segment is null)
            {
                problems.Add(new(EngineErrorCodes.InvalidSegment, $"payload segment '{field.Name}' is not a request segment (declared: {string.Join(", ", manifest.Request.Select(s => s.Name))})"));
                continue;
            }

            if (ReadSegment(field.Name, field.Value, segment, problems) is { } data)
            {
                result[field.Name] = data;
            }
        }

        foreach (var segment in manifest.Request)
        {
            if (!result.ContainsKey(segment.Name) && !payload.TryGetProperty(segment.Name, out _))
            {
                problems.Add(new(EngineErrorCodes.MissingSegment, $"request segment '{segment.Name}' is missing from the payload"));
            }
        }

        return result;
    }

    private static EngineDataSegment? ReadSegment(string name, JsonElement value, DataSegment segment, List<EngineRequestError> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(EngineErrorCodes.InvalidRequest, $"payload segment '{name}' must be an object with encoding and data (base64) or text"));
            return null;
        }

        var encoding = value.TryGetProperty("encoding", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : segment.Encodings[0];
        if (!segment.Encodings.Contains(encoding))
        {
            problems.Add(new(EngineErrorCodes.InvalidSegment, $"payload segment '{name}' has encoding '{encoding}'; it accepts {string.Join(", ", segment.Encodings)}"));
        }

        var status = StatusOnce;
        if (value.TryGetProperty("status", out var s) && !(s.TryGetInt32(out status) && status is >= 0 and <= 3))
        {
            problems.Add(new(EngineErrorCodes.InvalidRequest, $"payload segment '{name}': status must be 0, 1, 2 or 3"));
        }

        var hasData = value.TryGetProperty("data", out var data);
        var hasText = value.TryGetProperty("text", out var text);
        if (hasData == hasText)
        {
            problems.Add(new(EngineErrorCodes.InvalidRequest, $"payload segment '{name}' needs either data (base64) or text"));
            return null;
        }

        if (hasText)
        {
            if (text.ValueKind != JsonValueKind.String)
            {
                problems.Add(new(EngineErrorCodes.InvalidRequest, $"payload segment '{name}': text must be a string"));
                return null;
            }

            return new EngineDataSegment(name, encoding, status, Encoding.UTF8.GetBytes(text.GetString()!));
        }

        if (data.ValueKind != JsonValueKind.String || !data.TryGetBytesFromBase64(out var bytes))
        {
            problems.Add(new(EngineErrorCodes.InvalidRequest, $"payload segment '{name}': data must be base64"));
            return null;
        }

        return new EngineDataSegment(name, encoding, status, bytes);
    }

    private static object? Raw(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => value, // an object or array: no parameter type accepts it, and the error shows it
    };
}
