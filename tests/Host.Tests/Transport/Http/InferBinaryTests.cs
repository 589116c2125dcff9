using System.Text;
using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class InferBinaryTests(HostFixture host)
{
    private readonly OipClient client = new(host.Client);

    [Theory]
    [MemberData(nameof(TensorCodec.AllDatatypes), MemberType = typeof(TensorCodec))]
    public async Task BinaryInputAndBinaryDataOutputRoundTrip(string datatype)
    {
        var values = TensorCodec.Samples(datatype);
        var bytes = TensorCodec.ToBinary(datatype, values);
        var request = new BinaryRequest().BinaryInput("IN", datatype, [2, 3], bytes).BinaryDataOutput();

        var result = await client.InferAsync(TensorCodec.ModelFor(datatype), request);

        AssertBinaryEnvelope(result);
        var output = Assert.Single(result.Outputs);
        Assert.Equal(datatype, output.Datatype);
        Assert.Equal([2L, 3L], output.Shape);
        Assert.True(output.IsBinary);
        Assert.Equal(bytes.Length, output.BinaryDataSize);
        Assert.Equal(bytes, output.Binary);
        Assert.Equal(values, output.Values());
    }

    [Theory]
    [MemberData(nameof(TensorCodec.AllDatatypes), MemberType = typeof(TensorCodec))]
    public async Task JsonInputWithPerOutputBinaryDataComesBackBinary(string datatype)
    {
        var values = TensorCodec.Samples(datatype);
        var request = new BinaryRequest()
            .JsonInput("IN", datatype, [3, 2], TensorCodec.ToJsonArray(datatype, values))
            .Output("OUT", binaryData: true);

        var result = await client.InferAsync(TensorCodec.ModelFor(datatype), request);

        AssertBinaryEnvelope(result);
        var output = Assert.Single(result.Outputs);
        Assert.Equal([3L, 2L], output.Shape);
        Assert.Equal(TensorCodec.ToBinary(datatype, values), output.Binary);
    }

    [Theory]
    [MemberData(nameof(TensorCodec.AllDatatypes), MemberType = typeof(TensorCodec))]
    public async Task BinaryInputCanBeAnsweredInJson(string datatype)
    {
        var values = TensorCodec.Samples(datatype);
        var request = new BinaryRequest().BinaryInput("IN", datatype, [6, 1], TensorCodec.ToBinary(datatype, values));

        var result = await client.InferAsync(TensorCodec.ModelFor(datatype), request);

        Assert.Equal("application/json", result.ContentType);
        Assert.Null(result.HeaderLength);
        var output = Assert.Single(result.Outputs);
        Assert.False(output.IsBinary);
        Assert.Equal([6L, 1L], output.Shape);
        Assert.Equal(values, output.Values());
    }

    [Fact]
    public async Task BytesBinaryInputKeepsExactBytesIncludingNulAndNonAscii()
    {
        string[] texts = ["zero\0byte", "", "ünïcödé ✓", new string('x', 1000)];
        var request = new BinaryRequest().BinaryInput("TEXT", "BYTES", [4], TensorCodec.ToBinary("BYTES", texts)).BinaryDataOutput();

        var result = await client.InferAsync("string_identity", request);

        var output = Assert.Single(result.Outputs);
        Assert.Equal("TEXT_OUT", output.Name);
        Assert.Equal(texts.Sum(t => 4 + Encoding.UTF8.GetByteCount(t)), output.BinaryDataSize);
        Assert.Equal(texts, output.Values());
    }

    [Fact]
    public async Task BytesBinaryOutputKeepsBytesThatAreNotUtf8()
    {
        byte[][] elements = [[0xFF, 0xFE, 0x00, 0x41], [0xC3], [0x80, 0x80]];
        var binary = elements.SelectMany(e => BitConverter.GetBytes(e.Length).Concat(e)).ToArray();
        Assert.True(BitConverter.IsLittleEndian);
        var request = new BinaryRequest().BinaryInput("TEXT", "BYTES", [3], binary).BinaryDataOutput();

        var result = await client.InferAsync("string_identity", request);

        Assert.Equal(binary, result.Output("TEXT_OUT").Binary);
    }

    [Fact]
    public async Task LargeBinaryOutputArrivesWhole()
    {
        // 300 KB out: larger than the host's flush threshold, so the body is written in several flushes.
        var values = Enumerable.Range(0, 256 * 300).Select(i => (object)(i * 0.25f)).ToArray();
        var bytes = TensorCodec.ToBinary("FP32", values);
        var request = new BinaryRequest().BinaryInput("IN", "FP32", [256, 300], bytes).BinaryDataOutput();

        var result = await client.InferAsync("identity_fp32", request);

        AssertBinaryEnvelope(result);
        Assert.Equal(bytes, result.Output("OUT").Binary);
    }

    [Fact]
    public async Task MixedJsonAndBinaryInputsInOneRequest()
    {
        var a = Enumerable.Range(0, 32).Select(i => i * 0.5f).ToArray();
        var b = Enumerable.Range(0, 32).Select(i => 7f - i).ToArray();
        var request = new BinaryRequest()
            .Id("mixed")
            .JsonInput("INPUT0", "FP32", [2, 16], TensorCodec.ToJsonArray("FP32", a.Cast<object>()))
            .BinaryInput("INPUT1", "FP32", [2, 16], TensorCodec.Fp32Bytes(b));

        var result = await client.InferAsync("simple", request);

        Assert.Equal("mixed", result.Id);
        Assert.Equal(a.Zip(b, (x, y) => x + y), result.Output("OUTPUT0").Floats());
        Assert.Equal(a.Zip(b, (x, y) => x - y), result.Output("OUTPUT1").Floats());

        // And the other way round: the binary input first, then the JSON one.
        var swapped = new BinaryRequest()
            .BinaryInput("INPUT0", "FP32", [2, 16], TensorCodec.Fp32Bytes(a))
            .JsonInput("INPUT1", "FP32", [2, 16], TensorCodec.ToJsonArray("FP32", b.Cast<object>()))
            .BinaryDataOutput();
        var swappedResult = await client.InferAsync("simple", swapped);
        Assert.Equal(a.Zip(b, (x, y) => x + y), TensorCodec.Fp32Values(swappedResult.Output("OUTPUT0").Binary));
        Assert.Equal(a.Zip(b, (x, y) => x - y), TensorCodec.Fp32Values(swappedResult.Output("OUTPUT1").Binary));
    }

    [Fact]
    public async Task PerOutputBinaryDataOverridesTheRequestDefault()
    {
        var a = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var b = Enumerable.Range(0, 16).Select(i => i * i * 0.125f).ToArray();
        var request = new BinaryRequest()
            .BinaryInput("INPUT0", "FP32", [1, 16], TensorCodec.Fp32Bytes(a))
            .BinaryInput("INPUT1", "FP32", [1, 16], TensorCodec.Fp32Bytes(b))
            .BinaryDataOutput()
            .Output("OUTPUT0", binaryData: false)
            .Output("OUTPUT1");

        var result = await client.InferAsync("simple", request);

        AssertBinaryEnvelope(result);
        var sum = result.Output("OUTPUT0");
        Assert.False(sum.IsBinary);
        Assert.Equal(a.Zip(b, (x, y) => x + y), sum.Floats());
        var difference = result.Output("OUTPUT1");
        Assert.True(difference.IsBinary);
        Assert.Equal(64, difference.BinaryDataSize);
        Assert.Equal(a.Zip(b, (x, y) => x - y), difference.Floats());
    }

    [Fact]
    public async Task RequestedSubsetAndOrderAreKeptWithBinaryOutputs()
    {
        var a = Enumerable.Range(0, 16).Select(i => i + 0.5f).ToArray();
        var b = Enumerable.Range(0, 16).Select(i => -i * 2f).ToArray();
        var only = new BinaryRequest()
            .BinaryInput("INPUT0", "FP32", [1, 16], TensorCodec.Fp32Bytes(a))
            .BinaryInput("INPUT1", "FP32", [1, 16], TensorCodec.Fp32Bytes(b))
            .Output("OUTPUT1", binaryData: true);
        var onlyResult = await client.InferAsync("simple", only);
        var output = Assert.Single(onlyResult.Outputs);
        Assert.Equal("OUTPUT1", output.Name);
        Assert.Equal(a.Zip(b, (x, y) => x - y), output.Floats());

        var reversed = new BinaryRequest()
            .BinaryInput("INPUT0", "FP32", [1, 16], TensorCodec.Fp32Bytes(a))
            .BinaryInput("INPUT1", "FP32", [1, 16], TensorCodec.Fp32Bytes(b))
            .Output("OUTPUT1", binaryData: true)
            .Output("OUTPUT0", binaryData: true);
        var reversedResult = await client.InferAsync("simple", reversed);
        Assert.Equal(["OUTPUT1", "OUTPUT0"], reversedResult.Outputs.Select(o => o.Name));

        // The binary section follows the header's order: first the difference, then the sum.
        Assert.Equal(a.Zip(b, (x, y) => x - y), TensorCodec.Fp32Values(reversedResult.Outputs[0].Binary));
        Assert.Equal(a.Zip(b, (x, y) => x + y), TensorCodec.Fp32Values(reversedResult.Outputs[1].Binary));
    }

    [Fact]
    public async Task ChunkedBinaryRequestIsReadWhole()
    {
        // 256 KB of binary data sent without Content-Length.
        var values = Enumerable.Range(0, 64 * 1024).Select(i => (object)(i * 3L)).ToArray();
        var request = new BinaryRequest().BinaryInput("IN", "INT64", [256, 256], TensorCodec.ToBinary("INT64", values)).BinaryDataOutput();
        using var response = await host.Client.PostAsync("/v2/models/identity_int64/infer", request.ToContent(chunked: true));
        var result = await InferResult.ReadAsync(response);
        Assert.Equal(values, result.Output("OUT").Values());
    }

    [Fact]
    public async Task ZeroSizeBinaryInput()
    {
        var request = new BinaryRequest().BinaryInput("IN", "FP64", [0, 5], []).BinaryDataOutput();
        var result = await client.InferAsync("identity_fp64", request);
        var output = Assert.Single(result.Outputs);
        Assert.Equal([0L, 5L], output.Shape);
        Assert.Equal(0, output.BinaryDataSize);
    }

    [Fact]
    public async Task HeaderLengthEqualToBodyMeansNoBinaryData()
    {
        var request = new BinaryRequest().JsonInput("IN", "UINT16", [1, 2], new JsonArray(7, 65535));
        var result = await client.InferAsync("identity_uint16", request);
        Assert.Equal([(ushort)7, (ushort)65535], result.Output("OUT").Values());
    }

    /// <summary>Binary answers: octet-stream, Inference-Header-Content-Length, Content-Length = header + binary sizes.</summary>
    private static void AssertBinaryEnvelope(InferResult result)
    {
        Assert.Equal("application/octet-stream", result.ContentType);
        Assert.NotNull(result.HeaderLength);
        var binaryTotal = result.Outputs.Sum(o => o.BinaryDataSize ?? 0);
        Assert.Equal(result.HeaderLength + binaryTotal, result.ContentLength);
        Assert.All(result.Outputs.Where(o => o.IsBinary), o => Assert.Equal(o.BinaryDataSize, o.Binary!.Length));
    }
}
