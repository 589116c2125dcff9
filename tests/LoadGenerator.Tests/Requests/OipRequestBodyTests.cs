using System.Text;
using System.Text.Json;
using Inference.Host.Buffers;
using Inference.Host.Protocol.Oip;
using Inference.LoadGenerator.Requests;

namespace Inference.LoadGenerator.Tests.Requests;

public sealed class OipRequestBodyTests
{
    private static readonly TensorSpec[] Simple =
    [
        new("INPUT0", OipDatatype.FP32, [1, 16]),
        new("INPUT1", OipDatatype.FP32, [1, 16]),
    ];

    [Fact]
    public void ABinaryBodyIsTheJsonHeaderThenEachInputsBytesInOrder()
    {
        var body = OipRequestBody.Create(Simple, binaryInputs: true, binaryOutput: false, seed: 3);

        var headerLength = int.Parse(Header(body, OipRequestBody.HeaderLengthHeader));
        Assert.Equal("application/octet-stream", Header(body, "Content-Type"));
        Assert.Equal(headerLength + (2 * 16 * 4), body.Bytes.Length);
        using var header = JsonDocument.Parse(body.Bytes.AsMemory(0, headerLength));
        var inputs = header.RootElement.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(["INPUT0", "INPUT1"], inputs.Select(i => i.GetProperty("name").GetString()));
        foreach (var input in inputs)
        {
            Assert.Equal("FP32", input.GetProperty("datatype").GetString());
            Assert.Equal([1, 16], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            Assert.Equal(64, input.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
            Assert.False(input.TryGetProperty("data", out _));
        }

        Assert.False(header.RootElement.TryGetProperty("parameters", out _));
        var values = Enumerable.Range(0, 32).Select(i => BitConverter.ToSingle(body.Bytes, headerLength + (4 * i))).ToList();
        Assert.All(values, v => Assert.InRange(v, -1f, 1f));
        Assert.True(values.Distinct().Count() > 16, "values should vary");
    }

    [Fact]
    public void AJsonBodyCarriesTheSameValuesAsTheBinaryOne()
    {
        var json = OipRequestBody.Create(Simple, binaryInputs: false, binaryOutput: false, seed: 3);
        var binary = OipRequestBody.Create(Simple, binaryInputs: true, binaryOutput: false, seed: 3);

        Assert.Equal("application/json", Header(json, "Content-Type"));
        Assert.DoesNotContain(json.Headers, h => h.Name == OipRequestBody.HeaderLengthHeader);
        using var document = JsonDocument.Parse(json.Bytes);
        var headerLength = int.Parse(Header(binary, OipRequestBody.HeaderLengthHeader));
        var offset = headerLength;
        foreach (var input in document.RootElement.GetProperty("inputs").EnumerateArray())
        {
            foreach (var value in input.GetProperty("data").EnumerateArray())
            {
                Assert.Equal(BitConverter.ToSingle(binary.Bytes, offset), value.GetSingle());
                offset += 4;
            }
        }

        Assert.Equal(binary.Bytes.Length, offset);
    }

    [Fact]
    public void BinaryOutputIsAskedForAtRequestLevel()
    {
        var body = OipRequestBody.Create(Simple, binaryInputs: false, binaryOutput: true, seed: 1);

        using var document = JsonDocument.Parse(body.Bytes);
        Assert.True(document.RootElement.GetProperty("parameters").GetProperty("binary_data_output").GetBoolean());
    }

    [Theory]
    [InlineData(OipDatatype.BOOL)]
    [InlineData(OipDatatype.UINT8)]
    [InlineData(OipDatatype.UINT16)]
    [InlineData(OipDatatype.UINT32)]
    [InlineData(OipDatatype.UINT64)]
    [InlineData(OipDatatype.INT8)]
    [InlineData(OipDatatype.INT16)]
    [InlineData(OipDatatype.INT32)]
    [InlineData(OipDatatype.INT64)]
    [InlineData(OipDatatype.FP16)]
    [InlineData(OipDatatype.BF16)]
    [InlineData(OipDatatype.FP32)]
    [InlineData(OipDatatype.FP64)]
    [InlineData(OipDatatype.BYTES)]
    public void TheHostsReaderDecodesJsonAndBinaryBodiesToTheSameTensors(OipDatatype datatype)
    {
        TensorSpec[] inputs = [new("A", datatype, [2, 3]), new("B", datatype, []), new("C", OipDatatype.FP32, [4])];
        var pool = new PinnedBufferPool();

        using var fromJson = Decode(OipRequestBody.Create(inputs, binaryInputs: false, binaryOutput: false, seed: 11), pool);
        using var fromBinary = Decode(OipRequestBody.Create(inputs, binaryInputs: true, binaryOutput: true, seed: 11), pool);

        Assert.False(fromJson.BinaryDataOutput);
        Assert.True(fromBinary.BinaryDataOutput);
        Assert.Equal(3, fromBinary.Inputs.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            var json = fromJson.Inputs[i];
            var binary = fromBinary.Inputs[i];
            Assert.Equal(inputs[i].Name, binary.Name);
            Assert.Equal(inputs[i].Shape, binary.Shape);
            Assert.Equal(json.ElementType, binary.ElementType);
            if (inputs[i].Datatype == OipDatatype.BYTES)
            {
                Assert.Equal(inputs[i].ElementCount, binary.Strings!.Count);
                Assert.Equal(json.Strings!.Select(s => Encoding.UTF8.GetString(s.Span)), binary.Strings.Select(s => Encoding.UTF8.GetString(s.Span)));
            }
            else
            {
                Assert.Equal(inputs[i].ElementCount * TensorData.SizeOf(inputs[i].Datatype), binary.DataLength);
                Assert.Equal(json.DataSpan.ToArray(), binary.DataSpan.ToArray());
            }
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameBodyAndAnotherSeedAnother()
    {
        var first = OipRequestBody.Create(Simple, true, false, seed: 5).Bytes;

        Assert.Equal(first, OipRequestBody.Create(Simple, true, false, seed: 5).Bytes);
        Assert.NotEqual(first, OipRequestBody.Create(Simple, true, false, seed: 6).Bytes);
    }

    [Theory]
    [InlineData("INPUT0:FP32:1x16", "INPUT0", OipDatatype.FP32, new long[] { 1, 16 })]
    [InlineData("features:fp32:1,256", "features", OipDatatype.FP32, new long[] { 1, 256 })]
    [InlineData("TEXT:BYTES:3", "TEXT", OipDatatype.BYTES, new long[] { 3 })]
    [InlineData("S:INT64:", "S", OipDatatype.INT64, new long[0])]
    public void InputSpecsParse(string text, string name, OipDatatype datatype, long[] shape)
    {
        var spec = TensorSpec.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(name, spec!.Name);
        Assert.Equal(datatype, spec.Datatype);
        Assert.Equal(shape, spec.Shape);
    }

    [Theory]
    [InlineData("INPUT0:FP32", "NAME:DATATYPE:SHAPE")]
    [InlineData("INPUT0:FLOAT:1", "unknown datatype 'FLOAT'")]
    [InlineData("INPUT0:3:1", "unknown datatype '3'")]
    [InlineData("INPUT0:FP32:1x-2", "'-2'")]
    [InlineData(":FP32:1", "NAME:DATATYPE:SHAPE")]
    [InlineData("X:FP32:100000x100000", "elements")]
    public void BadInputSpecsSayWhatIsWrong(string text, string expected)
    {
        Assert.Null(TensorSpec.Parse(text, out var error));
        Assert.Contains(expected, error);
    }

    private static InferRequest Decode(GeneratedBody body, PinnedBufferPool pool)
    {
        var pinned = GC.AllocateArray<byte>(body.Bytes.Length, pinned: true);
        body.Bytes.CopyTo(pinned, 0);
        var headerLength = body.Headers.FirstOrDefault(h => h.Name == OipRequestBody.HeaderLengthHeader) is { Name: not null } field
            ? int.Parse(field.Value)
            : pinned.Length;
        return InferRequestReader.Read(pinned, 0, headerLength, pinned.Length - headerLength, pool);
    }

    private static string Header(GeneratedBody body, string name) => Assert.Single(body.Headers, h => h.Name == name).Value;
}
