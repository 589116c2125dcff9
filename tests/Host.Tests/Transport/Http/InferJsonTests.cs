using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class InferJsonTests(HostFixture host)
{
    private readonly OipClient client = new(host.Client);

    [Theory]
    [MemberData(nameof(TensorCodec.AllDatatypes), MemberType = typeof(TensorCodec))]
    public async Task EveryDatatypeComesBackUnchanged(string datatype)
    {
        var model = TensorCodec.ModelFor(datatype);
        var values = TensorCodec.Samples(datatype);
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", datatype, [2, 3], TensorCodec.ToJsonArray(datatype, values)) } };

        var result = await client.InferAsync(model, request);

        Assert.Equal("application/json", result.ContentType);
        Assert.Null(result.HeaderLength);
        Assert.Equal(model, result.ModelName);
        Assert.Equal("1", result.ModelVersion);
        var output = Assert.Single(result.Outputs);
        Assert.Equal("OUT", output.Name);
        Assert.Equal(datatype, output.Datatype);
        Assert.Equal([2L, 3L], output.Shape);
        Assert.False(output.IsBinary);
        Assert.Equal(values, output.Values());
    }

    [Theory]
    [MemberData(nameof(TensorCodec.AllDatatypes), MemberType = typeof(TensorCodec))]
    public async Task NestedDataIsReadRowMajor(string datatype)
    {
        var values = TensorCodec.Samples(datatype);
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", datatype, [3, 2], TensorCodec.ToNestedJsonArray(datatype, values, rows: 3)) } };

        var result = await client.InferAsync(TensorCodec.ModelFor(datatype), request);

        var output = Assert.Single(result.Outputs);
        Assert.Equal([3L, 2L], output.Shape);
        Assert.Equal(values, output.Values());
    }

    [Fact]
    public async Task KeysMayComeInAnyOrder()
    {
        const string json = """{"outputs":[{"name":"OUT"}],"inputs":[{"data":[[1,-2],[3,-4]],"shape":[2,2],"datatype":"INT16","name":"IN"}],"id":"order"}""";
        using var response = await client.PostJsonAsync("/v2/models/identity_int16/infer", json);
        var result = await InferResult.ReadAsync(response);
        Assert.Equal("order", result.Id);
        Assert.Equal([(short)1, (short)-2, (short)3, (short)-4], result.Output("OUT").Values());
    }

    [Theory]
    [InlineData("FP32")]
    [InlineData("FP64")]
    [InlineData("FP16")]
    [InlineData("BF16")]
    public async Task NonFiniteFloatsTravelAsStrings(string datatype)
    {
        var json = $$"""{"inputs":[{"name":"IN","datatype":"{{datatype}}","shape":[1,4],"data":["NaN","Infinity","-Infinity",1.5]}]}""";
        using var response = await client.PostJsonAsync($"/v2/models/{TensorCodec.ModelFor(datatype)}/infer", json);
        var result = await InferResult.ReadAsync(response);

        var data = result.Output("OUT").Data!.Value.EnumerateArray().ToArray();
        Assert.Equal(["NaN", "Infinity", "-Infinity"], data[..3].Select(e => e.GetString()));
        Assert.Equal(1.5, data[3].GetDouble());
    }

    [Fact]
    public async Task ScalarHasEmptyShape()
    {
        foreach (var data in new JsonNode[] { new JsonArray(2.5f), JsonValue.Create(2.5f) })
        {
            var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [], data) } };
            var result = await client.InferAsync("scalar_fp32", request);
            var output = Assert.Single(result.Outputs);
            Assert.Empty(output.Shape);
            Assert.Equal([2.5f], output.Floats());
        }
    }

    [Theory]
    [InlineData("FP32")]
    [InlineData("INT64")]
    [InlineData("BOOL")]
    [InlineData("BYTES")]
    public async Task ZeroSizeTensorComesBackEmpty(string datatype)
    {
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", datatype, [0, 3], new JsonArray()) } };
        var result = await client.InferAsync(TensorCodec.ModelFor(datatype), request);
        var output = Assert.Single(result.Outputs);
        Assert.Equal([0L, 3L], output.Shape);
        Assert.Empty(output.Values());
    }

    [Fact]
    public async Task SimpleReturnsSumAndDifference()
    {
        var random = new Random(1234);
        var a = Enumerable.Range(0, 48).Select(_ => (float)((random.NextDouble() * 200) - 100)).ToArray();
        var b = Enumerable.Range(0, 48).Select(_ => (float)((random.NextDouble() * 200) - 100)).ToArray();

        var result = await client.InferAsync("simple", OipClient.SimpleRequest(a, b));

        Assert.Equal(["OUTPUT0", "OUTPUT1"], result.Outputs.Select(o => o.Name));
        Assert.All(result.Outputs, o => Assert.Equal([3L, 16L], o.Shape));
        Assert.All(result.Outputs, o => Assert.Equal("FP32", o.Datatype));
        Assert.Equal(a.Zip(b, (x, y) => x + y), result.Output("OUTPUT0").Floats());
        Assert.Equal(a.Zip(b, (x, y) => x - y), result.Output("OUTPUT1").Floats());
    }

    [Fact]
    public async Task MlpClassifierMatchesAReferenceForwardPass()
    {
        const int batch = 4;
        var random = new Random(42);
        var features = Enumerable.Range(0, batch * 256).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("features", "FP32", [batch, 256], TensorCodec.ToJsonArray("FP32", features.Cast<object>())) } };

        var result = await client.InferAsync("mlp_classifier", request);

        var probabilities = result.Output("probabilities");
        Assert.Equal([(long)batch, 10L], probabilities.Shape);
        var p = probabilities.Floats();
        var label = result.Output("label");
        Assert.Equal("INT64", label.Datatype);
        Assert.Equal([(long)batch], label.Shape);
        var labels = label.Values().Cast<long>().ToArray();
        for (var row = 0; row < batch; row++)
        {
            var rowP = p.AsSpan(row * 10, 10).ToArray();
            Assert.All(rowP, v => Assert.InRange(v, 0f, 1f));
            Assert.InRange(rowP.Sum(), 0.9999f, 1.0001f);
            Assert.Equal(MlpReference.ArgMax(rowP), labels[row]);

            var expected = MlpReference.Softmax(MlpReference.Shared.Logits(features.AsSpan(row * 256, 256)));
            for (var k = 0; k < 10; k++)
            {
                Assert.True(Math.Abs(expected[k] - rowP[k]) < 1e-4, $"row {row} class {k}: expected {expected[k]}, got {rowP[k]}");
            }
        }
    }

    [Fact]
    public async Task StringIdentityKeepsNonAsciiTextSentRaw()
    {
        // Raw UTF-8 in the body, no \u escapes.
        const string json = """{"inputs":[{"name":"TEXT","datatype":"BYTES","shape":[4],"data":["grüße","日本語","emoji 😀 ok","plain"]}]}""";
        using var response = await client.PostJsonAsync("/v2/models/string_identity/infer", json);
        var result = await InferResult.ReadAsync(response);
        var output = Assert.Single(result.Outputs);
        Assert.Equal("TEXT_OUT", output.Name);
        Assert.Equal("BYTES", output.Datatype);
        Assert.Equal([4L], output.Shape);
        Assert.Equal(["grüße", "日本語", "emoji 😀 ok", "plain"], output.Values());
    }

    [Fact]
    public async Task StringIdentityUnescapesJsonEscapes()
    {
        const string json = """{"inputs":[{"name":"TEXT","datatype":"BYTES","shape":[3],"data":["gr\u00fc\u00dfe","\ud83d\ude00","line\nbreak \"quoted\" \\"]}]}""";
        using var response = await client.PostJsonAsync("/v2/models/string_identity/infer", json);
        var result = await InferResult.ReadAsync(response);
        Assert.Equal(["grüße", "😀", "line\nbreak \"quoted\" \\"], result.Output("TEXT_OUT").Values());
    }

    [Fact]
    public async Task RequestIdIsEchoedAndAbsentWhenNotGiven()
    {
        var a = new float[16];
        var withId = await client.InferAsync("simple", OipClient.SimpleRequest(a, a, id: "request-ü-42 \"quoted\" back\\slash"));
        Assert.Equal("request-ü-42 \"quoted\" back\\slash", withId.Id);

        var withoutId = await client.InferAsync("simple", OipClient.SimpleRequest(a, a));
        Assert.False(withoutId.Root.TryGetProperty("id", out _));
        Assert.Equal("simple", withoutId.ModelName);
        Assert.Equal("1", withoutId.ModelVersion);
    }

    [Fact]
    public async Task LargeJsonBodyRoundTripsWithAndWithoutContentLength()
    {
        // ~400 KB of JSON: bigger than the first read buffer, so the body reader has to grow (chunked) or size up front.
        var values = Enumerable.Range(0, 40_000).Select(i => (object)(i - 20_000)).ToArray();
        var json = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "INT32", [200, 200], TensorCodec.ToJsonArray("INT32", values)) } }.ToJsonString();

        using (var response = await client.PostJsonAsync("/v2/models/identity_int32/infer", json))
        {
            Assert.Equal(values, (await InferResult.ReadAsync(response)).Output("OUT").Values());
        }

        var chunked = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(json)));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using (var response = await host.Client.PostAsync("/v2/models/identity_int32/infer", chunked))
        {
            Assert.Null(response.RequestMessage?.Content?.Headers.ContentLength);
            Assert.Equal(values, (await InferResult.ReadAsync(response)).Output("OUT").Values());
        }
    }

    [Fact]
    public async Task OutputsSubsetAndOrderFollowTheRequest()
    {
        var a = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var b = Enumerable.Range(0, 16).Select(i => i * 0.25f).ToArray();
        var request = OipClient.SimpleRequest(a, b);
        request["outputs"] = new JsonArray { new JsonObject { ["name"] = "OUTPUT1" } };
        var only = await client.InferAsync("simple", request);
        var output = Assert.Single(only.Outputs);
        Assert.Equal("OUTPUT1", output.Name);
        Assert.Equal(a.Zip(b, (x, y) => x - y), output.Floats());

        request = OipClient.SimpleRequest(a, b);
        request["outputs"] = new JsonArray { new JsonObject { ["name"] = "OUTPUT1" }, new JsonObject { ["name"] = "OUTPUT0" } };
        var reversed = await client.InferAsync("simple", request);
        Assert.Equal(["OUTPUT1", "OUTPUT0"], reversed.Outputs.Select(o => o.Name));
        Assert.Equal(a.Zip(b, (x, y) => x + y), reversed.Outputs[1].Floats());
    }

    [Fact]
    public async Task InputsAreMatchedByNameNotByPosition()
    {
        var a = Enumerable.Range(0, 16).Select(i => i * 10f).ToArray();
        var b = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var request = OipClient.SimpleRequest(a, b);
        var inputs = request["inputs"]!.AsArray();
        var first = inputs[0]!.DeepClone();
        inputs.RemoveAt(0);
        inputs.Add(first);
        Assert.Equal("INPUT1", inputs[0]!["name"]!.GetValue<string>());

        var result = await client.InferAsync("simple", request);

        // OUTPUT1 = INPUT0 - INPUT1 whatever order the inputs came in.
        Assert.Equal(a.Zip(b, (x, y) => x - y), result.Output("OUTPUT1").Floats());
    }

    [Fact]
    public async Task UnknownTopLevelFieldsAndParametersAreIgnored()
    {
        const string json = """{"id":"x","parameters":{"priority":1,"custom":"v","ratio":0.5,"flag":false,"nothing":null},"extra":{"deep":[1,{"a":2}]},"inputs":[{"name":"IN","datatype":"INT8","shape":[1,2],"parameters":{"note":"hi"},"data":[-1,1]}]}""";
        using var response = await client.PostJsonAsync("/v2/models/identity_int8/infer", json);
        var result = await InferResult.ReadAsync(response);
        Assert.Equal([(sbyte)-1, (sbyte)1], result.Output("OUT").Values());
    }

    [Fact]
    public async Task ResponseHeaderIsValidJsonWithContentLength()
    {
        var a = new float[16];
        using var response = await client.PostJsonAsync("/v2/models/simple/infer", OipClient.SimpleRequest(a, a));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        using var doc = JsonDocument.Parse(bytes);
        Assert.Equal(2, doc.RootElement.GetProperty("outputs").GetArrayLength());
    }
}
