using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// A small Open Inference Protocol client for the tests, written from the protocol (not from the
/// host's code): JSON infer requests, the binary tensor data extension in both directions, and the
/// error body <c>{"error": "..."}</c>.
/// </summary>
public sealed class OipClient(HttpClient http)
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    public HttpClient Http => http;

    public static string InferPath(string model, string? version = null) =>
        version is null ? $"/v2/models/{model}/infer" : $"/v2/models/{model}/versions/{version}/infer";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken cancellationToken = default) =>
        http.PostAsync(path, Json(json), cancellationToken);

    public Task<HttpResponseMessage> PostJsonAsync(string path, JsonNode json, CancellationToken cancellationToken = default) =>
        PostJsonAsync(path, json.ToJsonString(), cancellationToken);

    /// <summary>Posts an infer request, asserts 200 and parses the answer (JSON or binary).</summary>
    public async Task<InferResult> InferAsync(string model, JsonNode request, string? version = null)
    {
        using var response = await PostJsonAsync(InferPath(model, version), request);
        return await InferResult.ReadAsync(response);
    }

    /// <summary>Posts a request built with the binary extension, asserts 200 and parses the answer.</summary>
    public async Task<InferResult> InferAsync(string model, BinaryRequest request, string? version = null)
    {
        using var response = await http.PostAsync(InferPath(model, version), request.ToContent());
        return await InferResult.ReadAsync(response);
    }

    /// <summary>The `simple` sample on one row: a request anyone can check (sum and difference).</summary>
    public static JsonObject SimpleRequest(float[] a, float[] b, string? id = null)
    {
        var rows = a.Length / 16;
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray
            {
                Input("INPUT0", "FP32", [rows, 16], TensorCodec.ToJsonArray("FP32", a.Cast<object>())),
                Input("INPUT1", "FP32", [rows, 16], TensorCodec.ToJsonArray("FP32", b.Cast<object>())),
            },
        };
        if (id is not null)
        {
            request["id"] = id;
        }

        return request;
    }

    public static JsonObject Input(string name, string datatype, long[] shape, JsonNode? data) => new()
    {
        ["name"] = name,
        ["datatype"] = datatype,
        ["shape"] = new JsonArray(shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
        ["data"] = data,
    };

    /// <summary>Asserts the host answers a valid `simple` request correctly (used after every error).</summary>
    public async Task AssertServesSimpleAsync()
    {
        var a = Enumerable.Range(0, 16).Select(i => i * 1.5f).ToArray();
        var b = Enumerable.Range(0, 16).Select(i => 100f - i).ToArray();
        var result = await InferAsync("simple", SimpleRequest(a, b));
        Assert.Equal(a.Zip(b, (x, y) => x + y).ToArray(), result.Output("OUTPUT0").Floats());
        Assert.Equal(a.Zip(b, (x, y) => x - y).ToArray(), result.Output("OUTPUT1").Floats());
    }

    /// <summary>Asserts the status, a JSON body of exactly {"error": "..."}, and that the message names each fragment.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, params string[] fragments)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        var property = Assert.Single(doc.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        Assert.Equal(JsonValueKind.String, property.Value.ValueKind);
        var message = property.Value.GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, message, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>Reads one stage of /v2/models/{m}[/versions/{v}]/stats.</summary>
    public async Task<ModelStats> StatsAsync(string model, string version = "1")
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/v2/models/{model}/versions/{version}/stats"));
        var entry = Assert.Single(doc.RootElement.GetProperty("model_stats").EnumerateArray());
        Assert.Equal(model, entry.GetProperty("name").GetString());
        Assert.Equal(version, entry.GetProperty("version").GetString());
        return ModelStats.From(entry);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or a few seconds pass (for state a handler finishes after its response).</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>The counters of one model version's statistics.</summary>
public sealed record ModelStats(
    long InferenceCount,
    long ExecutionCount,
    long LastInference,
    long SuccessCount,
    long SuccessNs,
    long FailCount,
    long FailNs,
    long ComputeInputCount,
    long ComputeInferCount,
    long ComputeInferNs,
    long ComputeOutputCount,
    long QueueCount,
    long QueueNs)
{
    public static ModelStats From(JsonElement entry)
    {
        var s = entry.GetProperty("inference_stats");
        long Count(string stage) => s.GetProperty(stage).GetProperty("count").GetInt64();
        long Ns(string stage) => s.GetProperty(stage).GetProperty("ns").GetInt64();
        return new ModelStats(
            entry.GetProperty("inference_count").GetInt64(),
            entry.GetProperty("execution_count").GetInt64(),
            entry.GetProperty("last_inference").GetInt64(),
            Count("success"),
            Ns("success"),
            Count("fail"),
            Ns("fail"),
            Count("compute_input"),
            Count("compute_infer"),
            Ns("compute_infer"),
            Count("compute_output"),
            Count("queue"),
            Ns("queue"));
    }
}

/// <summary>
/// An infer request with the binary tensor data extension: a JSON header and, after it, the raw bytes
/// of the binary inputs in order. <see cref="ToContent"/> sets Inference-Header-Content-Length.
/// </summary>
public sealed class BinaryRequest
{
    private readonly JsonArray inputs = [];
    private readonly List<byte[]> binary = [];
    private JsonArray? outputs;

    public JsonObject Header { get; } = new();

    public BinaryRequest()
    {
        Header["inputs"] = inputs;
    }

    public BinaryRequest Id(string id)
    {
        Header["id"] = id;
        return this;
    }

    public BinaryRequest BinaryDataOutput(bool value = true)
    {
        Header["parameters"] = new JsonObject { ["binary_data_output"] = value };
        return this;
    }

    public BinaryRequest JsonInput(string name, string datatype, long[] shape, JsonNode data)
    {
        inputs.Add(OipClient.Input(name, datatype, shape, data));
        return this;
    }

    public BinaryRequest BinaryInput(string name, string datatype, long[] shape, byte[] bytes, long? declaredSize = null)
    {
        inputs.Add(new JsonObject
        {
            ["name"] = name,
            ["datatype"] = datatype,
            ["shape"] = new JsonArray(shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["parameters"] = new JsonObject { ["binary_data_size"] = declaredSize ?? bytes.Length },
        });
        binary.Add(bytes);
        return this;
    }

    /// <summary>Asks for an output; <paramref name="binaryData"/> is its own binary_data parameter (none when null).</summary>
    public BinaryRequest Output(string name, bool? binaryData = null)
    {
        outputs ??= [];
        Header["outputs"] = outputs;
        var output = new JsonObject { ["name"] = name };
        if (binaryData is { } b)
        {
            output["parameters"] = new JsonObject { ["binary_data"] = b };
        }

        outputs.Add(output);
        return this;
    }

    /// <summary>The JSON header as UTF-8 and the whole body (header, then the binary inputs).</summary>
    public (byte[] Body, int HeaderLength) Build()
    {
        var header = Encoding.UTF8.GetBytes(Header.ToJsonString());
        var body = new byte[header.Length + binary.Sum(b => b.Length)];
        header.CopyTo(body, 0);
        var position = header.Length;
        foreach (var b in binary)
        {
            b.CopyTo(body, position);
            position += b.Length;
        }

        return (body, header.Length);
    }

    /// <summary>The body with Inference-Header-Content-Length; chunked (no Content-Length) when asked.</summary>
    public HttpContent ToContent(bool chunked = false, string? headerLength = null)
    {
        var (body, length) = Build();
        HttpContent content = chunked ? new StreamContent(new NonSeekableStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation(OipClient.HeaderLengthHeader, headerLength ?? length.ToString(CultureInfo.InvariantCulture));
        return content;
    }
}

/// <summary>A parsed infer response: the JSON header, and each binary output's bytes cut from the body.</summary>
public sealed class InferResult
{
    private InferResult(JsonElement root, IReadOnlyList<OutputResult> outputs, int? headerLength, string contentType, long? contentLength)
    {
        Root = root;
        Outputs = outputs;
        HeaderLength = headerLength;
        ContentType = contentType;
        ContentLength = contentLength;
    }

    public JsonElement Root { get; }

    public IReadOnlyList<OutputResult> Outputs { get; }

    /// <summary>The response's Inference-Header-Content-Length, when it has one.</summary>
    public int? HeaderLength { get; }

    public string ContentType { get; }

    public long? ContentLength { get; }

    public string ModelName => Root.GetProperty("model_name").GetString()!;

    public string? ModelVersion => Root.TryGetProperty("model_version", out var v) ? v.GetString() : null;

    public string? Id => Root.TryGetProperty("id", out var v) ? v.GetString() : null;

    public OutputResult Output(string name) => Outputs.Single(o => o.Name == name);

    /// <summary>Asserts 200 and parses; the binary section is split by each output's binary_data_size, in order.</summary>
    public static async Task<InferResult> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        int? headerLength = null;
        if (response.Headers.TryGetValues(OipClient.HeaderLengthHeader, out var values))
        {
            headerLength = int.Parse(Assert.Single(values), NumberStyles.None, CultureInfo.InvariantCulture);
            Assert.InRange(headerLength.Value, 2, body.Length);
        }

        var jsonLength = headerLength ?? body.Length;
        using var doc = JsonDocument.Parse(body.AsMemory(0, jsonLength));
        var root = doc.RootElement.Clone();
        var outputs = new List<OutputResult>();
        var position = jsonLength;
        foreach (var output in root.GetProperty("outputs").EnumerateArray())
        {
            byte[]? binary = null;
            long? binarySize = null;
            if (output.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty("binary_data_size", out var size))
            {
                binarySize = size.GetInt64();
                Assert.True(headerLength is not null, "an output has binary_data_size but the response has no Inference-Header-Content-Length");
                Assert.True(position + binarySize <= body.Length, $"output '{output.GetProperty("name").GetString()}' says {binarySize} bytes but only {body.Length - position} remain");
                binary = body.AsSpan(position, (int)binarySize.Value).ToArray();
                position += (int)binarySize.Value;
            }

            outputs.Add(new OutputResult(
                output.GetProperty("name").GetString()!,
                output.GetProperty("datatype").GetString()!,
                output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                output.TryGetProperty("data", out var data) ? data : null,
                binary,
                binarySize));
        }

        Assert.True(position == body.Length, $"the body has {body.Length - position} bytes after the last binary output");
        return new InferResult(root, outputs, headerLength, contentType, response.Content.Headers.ContentLength);
    }
}

/// <summary>One output: JSON data or binary bytes, decoded with the test's own codec.</summary>
public sealed record OutputResult(string Name, string Datatype, long[] Shape, JsonElement? Data, byte[]? Binary, long? BinaryDataSize)
{
    public bool IsBinary => Binary is not null;

    public object[] Values()
    {
        if (Binary is { } bytes)
        {
            Assert.Null(Data);
            return TensorCodec.FromBinary(Datatype, bytes);
        }

        Assert.True(Data is not null, $"output '{Name}' has neither data nor binary_data_size");
        return TensorCodec.FromJson(Datatype, Data.Value);
    }

    public float[] Floats() => Values().Cast<float>().ToArray();
}

/// <summary>A read-only stream that cannot tell its length, so HttpClient sends it chunked.</summary>
public sealed class NonSeekableStream(byte[] data) : Stream
{
    private readonly MemoryStream inner = new(data, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 8192));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
