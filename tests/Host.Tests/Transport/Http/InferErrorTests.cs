using System.Net;
using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// Every request error over HTTP: the status, a body of exactly {"error": "..."} whose message names
/// what was wrong, and a host that goes on serving valid requests afterwards.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class InferErrorTests(HostFixture host)
{
    private readonly OipClient client = new(host.Client);

    [Fact]
    public async Task UnknownModelIs404()
    {
        using var response = await client.PostJsonAsync(OipClient.InferPath("no_such_model"), ValidSimple());
        await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "no_such_model");
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData("corrupt", null)]
    [InlineData("corrupt", "1")]
    [InlineData("badversion", null)]
    public async Task UnloadableModelIs503(string model, string? version)
    {
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [1], new JsonArray(1f)) } };
        using var response = await client.PostJsonAsync(OipClient.InferPath(model, version), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, model);
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData("""{"inputs": [""", "JSON")]
    [InlineData("""{"inputs": [{"name": "INPUT0",}]}""", "JSON")]
    [InlineData("""not json at all""", "JSON")]
    [InlineData("", "JSON")]
    [InlineData("""{"inputs": []} {"again": 1}""", "JSON")]
    [InlineData("""[1, 2, 3]""", "object")]
    [InlineData("""{"id": "no inputs"}""", "inputs")]
    [InlineData("""{"inputs": {"name": "INPUT0"}}""", "inputs")]
    [InlineData("""{"id": 7, "inputs": []}""", "id")]
    public async Task MalformedRequestIs400(string body, string named)
    {
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), body);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, named);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task WrongDatatypeIs400NamingTheExpectedDatatype()
    {
        var request = ValidSimple();
        request["inputs"]![0] = OipClient.Input("INPUT0", "INT32", [1, 16], new JsonArray(Enumerable.Range(0, 16).Select(i => (JsonNode?)i).ToArray()));
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT0", "INT32", "FP32");
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData(new long[] { 1, 15 })]
    [InlineData(new long[] { 16 })]
    [InlineData(new long[] { 1, 1, 16 })]
    [InlineData(new long[] { 2, 8 })]
    public async Task ShapeNotFittingTheModelIs400(long[] shape)
    {
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        var request = ValidSimple();
        request["inputs"]![1] = OipClient.Input("INPUT1", "FP32", shape, new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode?)(float)i).ToArray()));
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT1", "[" + string.Join(",", shape) + "]", "16");
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(0)]
    public async Task DataLengthNotMatchingShapeIs400(int elements)
    {
        var request = ValidSimple();
        request["inputs"]![0] = OipClient.Input("INPUT0", "FP32", [1, 16], new JsonArray(Enumerable.Range(0, elements).Select(i => (JsonNode?)(float)i).ToArray()));
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT0", "16", elements.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BytesDataLengthNotMatchingShapeIs400()
    {
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("TEXT", "BYTES", [3], new JsonArray("a", "b")) } };
        using var response = await client.PostJsonAsync(OipClient.InferPath("string_identity"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "TEXT", "3", "2");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task MissingInputIs400NamingIt()
    {
        var request = ValidSimple();
        request["inputs"]!.AsArray().RemoveAt(1);
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT1");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task UnknownInputIs400NamingIt()
    {
        var request = ValidSimple();
        request["inputs"]!.AsArray().Add(OipClient.Input("INPUT2", "FP32", [1, 16], new JsonArray(Enumerable.Range(0, 16).Select(i => (JsonNode?)(float)i).ToArray())));
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT2");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task DuplicateInputIs400()
    {
        var request = ValidSimple();
        request["inputs"]!.AsArray().Add(request["inputs"]![0]!.DeepClone());
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT0");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task UnknownRequestedOutputIs400NamingIt()
    {
        var request = ValidSimple();
        request["outputs"] = new JsonArray { new JsonObject { ["name"] = "OUTPUT0" }, new JsonObject { ["name"] = "OUTPUT9" } };
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "OUTPUT9");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task DuplicateRequestedOutputIs400()
    {
        var request = ValidSimple();
        request["outputs"] = new JsonArray { new JsonObject { ["name"] = "OUTPUT1" }, new JsonObject { ["name"] = "OUTPUT1" } };
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "OUTPUT1");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task EmptyOutputsListIsNotAServerError()
    {
        var request = ValidSimple();
        request["outputs"] = new JsonArray();
        using var response = await client.PostJsonAsync(OipClient.InferPath("simple"), request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var result = await InferResult.ReadAsync(response);
            Assert.Equal(["OUTPUT0", "OUTPUT1"], result.Outputs.Select(o => o.Name));
        }
        else
        {
            await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "outputs");
        }

        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData("""{"datatype": "FP32", "shape": [1], "data": [1]}""", "name")]
    [InlineData("""{"name": "IN", "shape": [1], "data": [1]}""", "datatype")]
    [InlineData("""{"name": "IN", "datatype": "FP32", "data": [1]}""", "shape")]
    [InlineData("""{"name": "IN", "datatype": "FP32", "shape": [1]}""", "data")]
    [InlineData("""{"name": "IN", "datatype": "FP8", "shape": [1], "data": [1]}""", "FP8")]
    [InlineData("""{"name": "IN", "datatype": "FP32", "shape": [-1], "data": [1]}""", "shape")]
    [InlineData("""{"name": "IN", "datatype": "FP32", "shape": [1.5], "data": [1]}""", "shape")]
    [InlineData("""{"name": "IN", "datatype": "FP32", "shape": [4294967296, 4294967296], "data": []}""", "too large")]
    [InlineData("""{"name": "IN", "datatype": "FP32", "shape": [1], "data": [1], "parameters": {"binary_data_size": 4}}""", "binary_data_size")]
    [InlineData("""{"name": "IN", "datatype": "FP32", "shape": [1], "data": [{"x": 1}]}""", "FP32")]
    public async Task MalformedInputIs400(string input, string named)
    {
        using var response = await client.PostJsonAsync(OipClient.InferPath("versioned"), $$"""{"inputs": [{{input}}]}""");
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, named);
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData("BOOL", "2")]
    [InlineData("BOOL", "\"true\"")]
    [InlineData("UINT8", "256")]
    [InlineData("UINT8", "-1")]
    [InlineData("INT8", "-129")]
    [InlineData("UINT16", "65536")]
    [InlineData("INT16", "32768")]
    [InlineData("UINT32", "4294967296")]
    [InlineData("INT32", "1.5")]
    [InlineData("INT32", "2147483648")]
    [InlineData("UINT64", "-1")]
    [InlineData("UINT64", "18446744073709551616")]
    [InlineData("INT64", "\"7\"")]
    [InlineData("INT64", "9223372036854775808")]
    [InlineData("FP16", "100000")]
    [InlineData("FP32", "1e39")]
    [InlineData("FP32", "\"one\"")]
    [InlineData("FP64", "null")]
    [InlineData("BYTES", "42")]
    public async Task ElementNotValidForItsDatatypeIs400(string datatype, string element)
    {
        var body = $$"""{"inputs": [{"name": "IN", "datatype": "{{datatype}}", "shape": [1, 2], "data": [{{(datatype == "BYTES" ? "\"ok\"" : "0")}}, {{element}}]}]}""";
        using var response = await client.PostJsonAsync(OipClient.InferPath(TensorCodec.ModelFor(datatype)), body);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "IN", datatype);
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("99999999999")]
    public async Task NonNumericHeaderLengthIs400(string value)
    {
        var request = new BinaryRequest().BinaryInput("IN", "FP32", [1, 2], TensorCodec.Fp32Bytes(1f, 2f));
        using var response = await host.Client.PostAsync(OipClient.InferPath("identity_fp32"), request.ToContent(headerLength: value));
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, OipClient.HeaderLengthHeader);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task HeaderLengthLargerThanBodyIs400()
    {
        var request = new BinaryRequest().BinaryInput("IN", "FP32", [1, 2], TensorCodec.Fp32Bytes(1f, 2f));
        var (body, _) = request.Build();
        var tooLong = (body.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = await host.Client.PostAsync(OipClient.InferPath("identity_fp32"), request.ToContent(headerLength: tooLong));
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, OipClient.HeaderLengthHeader, tooLong);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task HeaderLengthCuttingTheJsonIs400()
    {
        var request = new BinaryRequest().BinaryInput("IN", "FP32", [1, 2], TensorCodec.Fp32Bytes(1f, 2f));
        var (_, headerLength) = request.Build();
        using var response = await host.Client.PostAsync(OipClient.InferPath("identity_fp32"), request.ToContent(headerLength: (headerLength - 5).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "JSON");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BinaryDataSizeNotMatchingShapeIs400()
    {
        // [1,16] FP32 needs 64 bytes; 60 are declared and sent.
        var request = new BinaryRequest()
            .BinaryInput("INPUT0", "FP32", [1, 16], new byte[60])
            .BinaryInput("INPUT1", "FP32", [1, 16], new byte[64]);
        using var response = await host.Client.PostAsync(OipClient.InferPath("simple"), request.ToContent());
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT0", "binary_data_size", "64", "60");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BinaryDataSizeBeyondTheBodyIs400()
    {
        // Declares 64 bytes for INPUT1 but the body holds only 32 after INPUT0's.
        var request = new BinaryRequest()
            .BinaryInput("INPUT0", "FP32", [1, 16], new byte[64])
            .BinaryInput("INPUT1", "FP32", [1, 16], new byte[32], declaredSize: 64);
        using var response = await host.Client.PostAsync(OipClient.InferPath("simple"), request.ToContent());
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "INPUT1", "binary_data_size");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BinaryBytesBeyondTheDeclaredSizesAre400()
    {
        // Both sizes are right for the shapes, but 8 more bytes trail the binary section.
        var request = new BinaryRequest()
            .BinaryInput("INPUT0", "FP32", [1, 16], new byte[64])
            .BinaryInput("INPUT1", "FP32", [1, 16], new byte[72], declaredSize: 64);
        using var response = await host.Client.PostAsync(OipClient.InferPath("simple"), request.ToContent());
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "binary_data_size", "136", "128");
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BinaryInputWithoutHeaderLengthIs400()
    {
        var (body, _) = new BinaryRequest().BinaryInput("IN", "FP32", [1, 2], TensorCodec.Fp32Bytes(1f, 2f)).Build();
        using var response = await host.Client.PostAsync(OipClient.InferPath("identity_fp32"), new ByteArrayContent(body));
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "binary_data_size");
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData(new byte[] { 5, 0, 0, 0, (byte)'a', (byte)'b' }, "says 5 bytes")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'a', 9, 0 }, "length prefix")]
    [InlineData(new byte[] { 1, 0, 0, 0, (byte)'a' }, "holds 1")]
    public async Task MalformedBinaryBytesIs400(byte[] binary, string named)
    {
        // Shape [2]: two elements, but the bytes are cut off or hold only one.
        var request = new BinaryRequest().BinaryInput("TEXT", "BYTES", [2], binary);
        using var response = await host.Client.PostAsync(OipClient.InferPath("string_identity"), request.ToContent());
        var message = await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "TEXT");
        Assert.Contains(named, message, StringComparison.Ordinal);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task OnnxRuntimeFailureIs500WithRuntimeText()
    {
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [4], new JsonArray(1f, 2f, 3f, 4f)) } };
        using var response = await client.PostJsonAsync(OipClient.InferPath("reshape_fails"), request);
        var message = await OipClient.AssertErrorAsync(response, HttpStatusCode.InternalServerError, "reshape_fails");
        Assert.Contains("ONNX Runtime", message, StringComparison.Ordinal);

        // ORT's own words about the failed node, not only ours.
        Assert.Contains("Reshape", message, StringComparison.Ordinal);
        Assert.Contains("cannot be reshaped", message, StringComparison.Ordinal);

        // The same model still runs a request it can serve, and so does every other model.
        var ok = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [3], new JsonArray(1f, 2f, 3f)) } };
        var result = await client.InferAsync("reshape_fails", ok);
        Assert.Equal([1f, 2f, 3f], result.Output("OUT").Floats());
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task ClaimedShapeDoesNotAllocateBeyondTheData()
    {
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [1, 500_000_000], new JsonArray(1f)) } };
        var body = request.ToJsonString();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await client.PostJsonAsync(OipClient.InferPath("identity_fp32"), body);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        await OipClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "IN", "500000000");
        Assert.True(allocated < 64L << 20, $"a {body.Length}-byte request made the host allocate {allocated >> 20} MiB");
        await client.AssertServesSimpleAsync();
    }

    private static JsonObject ValidSimple()
    {
        var a = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        return OipClient.SimpleRequest(a, a);
    }
}
