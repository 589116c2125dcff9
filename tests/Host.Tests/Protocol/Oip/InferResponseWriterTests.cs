using System.Buffers;
using System.Text;
using System.Text.Json;
using Inference.Host.Buffers;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class InferResponseWriterTests
{
    public InferResponseWriterTests() => _ = OrtTestEnvironment.Instance;

    /// <summary>
    /// Raw tensor bytes per datatype and the JSON array they must be written as. The FP16/BF16 inputs
    /// are IEEE bit patterns worked out by hand (0x3800 = 0.5, 0xC000 = -2, 0x6400 = 1024, ...).
    /// </summary>
    public static TheoryData<string, TensorElementType, long[], byte[], string> Samples => new()
    {
        { "BOOL", TensorElementType.Bool, [2, 2], [1, 0, 0, 1], "[true,false,false,true]" },
        { "UINT8", TensorElementType.UInt8, [4], [0, 1, 255, 128], "[0,1,255,128]" },
        { "UINT16", TensorElementType.UInt16, [2], TestBody.Bytes<ushort>(65535, 258), "[65535,258]" },
        { "UINT32", TensorElementType.UInt32, [2], TestBody.Bytes(uint.MaxValue, 7u), "[4294967295,7]" },
        { "UINT64", TensorElementType.UInt64, [2], TestBody.Bytes(ulong.MaxValue, 0ul), "[18446744073709551615,0]" },
        { "INT8", TensorElementType.Int8, [2], TestBody.Bytes<sbyte>(-128, 127), "[-128,127]" },
        { "INT16", TensorElementType.Int16, [2], TestBody.Bytes<short>(-32768, 32767), "[-32768,32767]" },
        { "INT32", TensorElementType.Int32, [1, 2], TestBody.Bytes(int.MinValue, int.MaxValue), "[-2147483648,2147483647]" },
        { "INT64", TensorElementType.Int64, [2, 1], TestBody.Bytes(long.MinValue, long.MaxValue), "[-9223372036854775808,9223372036854775807]" },
        { "FP16", TensorElementType.Float16, [4], TestBody.Bytes<ushort>(0x3800, 0xC000, 0x6400, 0x7BFF), "[0.5,-2,1024,65504]" },
        { "BF16", TensorElementType.BFloat16, [4], TestBody.Bytes<ushort>(0x3F00, 0xC000, 0x4480, 0x3F80), "[0.5,-2,1024,1]" },
        { "FP32", TensorElementType.Float, [4], TestBody.Bytes(0.5f, -2f, 1024f, float.MaxValue), "[0.5,-2,1024,3.4028235e38]" },
        { "FP64", TensorElementType.Double, [4], TestBody.Bytes(0.1, -2.0, double.Epsilon, double.MaxValue), "[0.1,-2,5e-324,1.7976931348623157e308]" },
    };

    public static TheoryData<string, TensorElementType, long[], byte[], string> NonFinite => new()
    {
        { "FP32", TensorElementType.Float, [3], TestBody.Bytes(float.NaN, float.PositiveInfinity, float.NegativeInfinity), """["NaN","Infinity","-Infinity"]""" },
        { "FP64", TensorElementType.Double, [3], TestBody.Bytes(double.NaN, double.PositiveInfinity, double.NegativeInfinity), """["NaN","Infinity","-Infinity"]""" },
        { "FP16", TensorElementType.Float16, [3], TestBody.Bytes<ushort>(0x7E00, 0x7C00, 0xFC00), """["NaN","Infinity","-Infinity"]""" },
        { "BF16", TensorElementType.BFloat16, [3], TestBody.Bytes<ushort>(0x7FC0, 0x7F80, 0xFF80), """["NaN","Infinity","-Infinity"]""" },
        { "FP32", TensorElementType.Float, [4], TestBody.Bytes(1f, float.NaN, -0f, float.NegativeInfinity), """[1,"NaN",-0,"-Infinity"]""" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    [MemberData(nameof(NonFinite))]
    public void JsonHeaderCarriesEachDatatypesValues(string datatype, TensorElementType type, long[] shape, byte[] raw, string expectedData)
    {
        using var value = OrtValue.CreateTensor<byte>(type, shape, raw);

        using var doc = Header("model-a", "3", "req-9", new OutputTensor("out", value, binary: false));

        var root = doc.RootElement;
        Assert.Equal("model-a", root.GetProperty("model_name").GetString());
        Assert.Equal("3", root.GetProperty("model_version").GetString());
        Assert.Equal("req-9", root.GetProperty("id").GetString());
        var output = Assert.Single(root.GetProperty("outputs").EnumerateArray().ToArray());
        Assert.Equal("out", output.GetProperty("name").GetString());
        Assert.Equal(datatype, output.GetProperty("datatype").GetString());
        Assert.Equal(shape, output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
        Assert.False(output.TryGetProperty("parameters", out _));
        using var expected = JsonDocument.Parse(expectedData);
        AssertSameElements(datatype, expected.RootElement, output.GetProperty("data"));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void BinaryOutputDeclaresTheSizeWriteBinaryWrites(string datatype, TensorElementType type, long[] shape, byte[] raw, string expectedData)
    {
        Assert.NotEmpty(expectedData);
        using var value = OrtValue.CreateTensor<byte>(type, shape, raw);
        var output = new OutputTensor("out", value, binary: true);

        using var doc = Header("m", "1", null, output);
        var binary = new ArrayBufferWriter<byte>();
        InferResponseWriter.WriteBinary(binary, output);

        var written = Assert.Single(doc.RootElement.GetProperty("outputs").EnumerateArray().ToArray());
        Assert.Equal(datatype, written.GetProperty("datatype").GetString());
        Assert.False(written.TryGetProperty("data", out _));
        Assert.Equal(raw.Length, written.GetProperty("parameters").GetProperty("binary_data_size").GetInt64());
        Assert.Equal(raw, binary.WrittenSpan.ToArray());
    }

    [Fact]
    public void BytesInBinaryFormAreLengthPrefixed()
    {
        byte[][] elements = ["a"u8.ToArray(), [], Encoding.UTF8.GetBytes("héllo"), [0, 0xFF]];
        using var value = StringTensor([4], elements);
        var output = new OutputTensor("s", value, binary: true);

        using var doc = Header("m", "1", null, output);
        var binary = new ArrayBufferWriter<byte>();
        InferResponseWriter.WriteBinary(binary, output);

        byte[] expected =
        [
            1, 0, 0, 0, (byte)'a',
            0, 0, 0, 0,
            6, 0, 0, 0, (byte)'h', 0xC3, 0xA9, (byte)'l', (byte)'l', (byte)'o',
            2, 0, 0, 0, 0, 0xFF,
        ];
        Assert.Equal(expected, binary.WrittenSpan.ToArray());
        var written = Assert.Single(doc.RootElement.GetProperty("outputs").EnumerateArray().ToArray());
        Assert.Equal("BYTES", written.GetProperty("datatype").GetString());
        Assert.Equal(expected.Length, written.GetProperty("parameters").GetProperty("binary_data_size").GetInt64());
    }

    [Fact]
    public void BytesInJsonAreStrings()
    {
        byte[][] elements = [Encoding.UTF8.GetBytes("quote\" back\\ nl\n é 😀"), [], [(byte)'a', 0, (byte)'b'], Encoding.UTF8.GetBytes("</script>&")];
        using var value = StringTensor([2, 2], elements);

        using var doc = Header("m", "1", null, new OutputTensor("s", value, binary: false));

        var output = doc.RootElement.GetProperty("outputs")[0];
        Assert.Equal("BYTES", output.GetProperty("datatype").GetString());
        Assert.Equal(
            new[] { "quote\" back\\ nl\n é 😀", "", "a\0b", "</script>&" },
            output.GetProperty("data").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public void InvalidUtf8BytesInJsonModeBecomeReplacementCharacters()
    {
        byte[][] elements = [[(byte)'a', 0xFF, (byte)'b'], [0xC3], [(byte)'o', (byte)'k']];
        using var value = StringTensor([3], elements);

        using var doc = Header("m", "1", null, new OutputTensor("s", value, binary: false));

        Assert.Equal(
            new[] { "a\uFFFDb", "\uFFFD", "ok" },
            doc.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public void MixedJsonAndBinaryOutputs()
    {
        using var ints = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2], new[] { 5, -6 });
        using var floats = OrtValue.CreateTensor<float>(TensorElementType.Float, [2], new[] { 1.5f, -0.25f });
        using var strings = StringTensor([2], ["xy"u8.ToArray(), "z"u8.ToArray()]);
        var outputs = new[]
        {
            new OutputTensor("i", ints, binary: false),
            new OutputTensor("f", floats, binary: true),
            new OutputTensor("s", strings, binary: true),
        };

        using var doc = Header("m", "1", null, outputs);
        var binary = new ArrayBufferWriter<byte>();
        foreach (var output in outputs.Where(o => o.Binary))
        {
            InferResponseWriter.WriteBinary(binary, output);
        }

        var written = doc.RootElement.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(new[] { "i", "f", "s" }, written.Select(o => o.GetProperty("name").GetString()).ToArray());
        Assert.Equal(new[] { 5, -6 }, written[0].GetProperty("data").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal(8, written[1].GetProperty("parameters").GetProperty("binary_data_size").GetInt64());
        Assert.Equal(4 + 2 + 4 + 1, written[2].GetProperty("parameters").GetProperty("binary_data_size").GetInt64());
        byte[] expected = [.. TestBody.Bytes(1.5f, -0.25f), 2, 0, 0, 0, (byte)'x', (byte)'y', 1, 0, 0, 0, (byte)'z'];
        Assert.Equal(expected, binary.WrittenSpan.ToArray());
    }

    [Fact]
    public void HeaderWithoutIdHasNoIdAndEscapesNames()
    {
        using var value = OrtValue.CreateTensor<int>(TensorElementType.Int32, [1], new[] { 1 });

        using var doc = Header("mo\"del", "12", null, new OutputTensor("out\\put", value, binary: false));

        Assert.False(doc.RootElement.TryGetProperty("id", out _));
        Assert.Equal("mo\"del", doc.RootElement.GetProperty("model_name").GetString());
        Assert.Equal("12", doc.RootElement.GetProperty("model_version").GetString());
        Assert.Equal("out\\put", doc.RootElement.GetProperty("outputs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void NoOutputsIsAnEmptyArray()
    {
        using var doc = Header("m", "1", "r");

        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("outputs").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public void ZeroSizeAndScalarOutputs()
    {
        using var empty = OrtValue.CreateTensor<float>(TensorElementType.Float, [0, 3], Array.Empty<float>());
        using var noStrings = StringTensor([0], []);
        using var scalar = OrtValue.CreateTensor<double>(TensorElementType.Double, [], new[] { -7.5 });

        using var doc = Header("m", "1", null, new OutputTensor("e", empty, false), new OutputTensor("n", noStrings, false), new OutputTensor("s", scalar, false));

        var written = doc.RootElement.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(new long[] { 0, 3 }, written[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
        Assert.Equal(0, written[0].GetProperty("data").GetArrayLength());
        Assert.Equal(0, written[1].GetProperty("data").GetArrayLength());
        Assert.Equal(0, written[2].GetProperty("shape").GetArrayLength());
        Assert.Equal(-7.5, Assert.Single(written[2].GetProperty("data").EnumerateArray().ToArray()).GetDouble());
    }

    [Theory]
    [InlineData(TensorElementType.Float16, (ushort)0x2E66, 0.0999755859375)]
    [InlineData(TensorElementType.BFloat16, (ushort)0x3DCD, 0.10009765625)]
    [InlineData(TensorElementType.Float16, (ushort)0x4248, 3.140625)]
    [InlineData(TensorElementType.BFloat16, (ushort)0x4049, 3.140625)]
    [InlineData(TensorElementType.Float16, (ushort)0x0001, 5.9604644775390625e-8)]
    public void HalfPrecisionValuesAreWrittenAsTheirExactValue(TensorElementType type, ushort bits, double exact)
    {
        // 0.1 and pi are not representable: the bits hold the nearest value, and that is what must come out.
        using var value = OrtValue.CreateTensor<ushort>(type, [1], new[] { bits });

        using var doc = Header("m", "1", null, new OutputTensor("h", value, binary: false));

        var written = doc.RootElement.GetProperty("outputs")[0].GetProperty("data")[0].GetDouble();
        Assert.Equal((float)exact, (float)written);
        Assert.InRange(written, exact * 0.999, exact * 1.001);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void JsonOutputDecodesBackToTheSameBytes(string datatype, TensorElementType type, long[] shape, byte[] raw, string expectedData)
    {
        // The response's output object has the request input's form: feed it back through the reader.
        Assert.NotEmpty(expectedData);
        using var value = OrtValue.CreateTensor<byte>(type, shape, raw);
        using var doc = Header("m", "1", null, new OutputTensor("out", value, binary: false));

        var json = "{\"inputs\":[" + doc.RootElement.GetProperty("outputs")[0].GetRawText() + "]}";
        using var request = TestBody.Json(json).Read(new PinnedBufferPool());

        var input = Assert.Single(request.Inputs);
        Assert.Equal(datatype, OipDataType.ToName(input.ElementType));
        Assert.Equal(shape, input.Shape);
        Assert.Equal(raw, input.DataSpan.ToArray());
    }

    [Theory]
    [InlineData(TensorElementType.Float16, (ushort)0x2E66)]
    [InlineData(TensorElementType.Float16, (ushort)0x4248)]
    [InlineData(TensorElementType.Float16, (ushort)0x0001)]
    [InlineData(TensorElementType.Float16, (ushort)0x83FF)]
    [InlineData(TensorElementType.Float16, (ushort)0x7BFE)]
    [InlineData(TensorElementType.BFloat16, (ushort)0x3DCD)]
    [InlineData(TensorElementType.BFloat16, (ushort)0x4049)]
    [InlineData(TensorElementType.BFloat16, (ushort)0x0001)]
    [InlineData(TensorElementType.BFloat16, (ushort)0x807F)]
    [InlineData(TensorElementType.BFloat16, (ushort)0x7F7F)]
    public void HalfPrecisionJsonDecodesBackToTheSameBits(TensorElementType type, ushort bits)
    {
        // Not representable in few decimal digits (0.1, pi, subnormals, near the largest value): the
        // written number must still be close enough that the reader rounds it back to the same bits.
        using var value = OrtValue.CreateTensor<ushort>(type, [1], new[] { bits });
        using var doc = Header("m", "1", null, new OutputTensor("h", value, binary: false));

        var json = "{\"inputs\":[" + doc.RootElement.GetProperty("outputs")[0].GetRawText() + "]}";
        using var request = TestBody.Json(json).Read(new PinnedBufferPool());

        Assert.Equal(TestBody.Bytes(bits), Assert.Single(request.Inputs).DataSpan.ToArray());
    }

    [Fact]
    public void BinaryOutputsDecodeBackToTheSameValues()
    {
        using var floats = OrtValue.CreateTensor<float>(TensorElementType.Float, [3], new[] { 0.1f, float.NaN, -3f });
        using var strings = StringTensor([2], ["é"u8.ToArray(), [0, 0xFE]]);
        var outputs = new[] { new OutputTensor("f", floats, true), new OutputTensor("s", strings, true) };
        using var doc = Header("m", "1", null, outputs);
        var binary = new ArrayBufferWriter<byte>();
        foreach (var output in outputs)
        {
            InferResponseWriter.WriteBinary(binary, output);
        }

        var inputs = string.Join(",", doc.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetRawText()));
        using var request = TestBody.Create("{\"inputs\":[" + inputs + "]}", 0, binary.WrittenSpan.ToArray()).Read(new PinnedBufferPool());

        Assert.Equal(TestBody.Bytes(0.1f, float.NaN, -3f), request.Inputs[0].DataSpan.ToArray());
        Assert.Equal("é"u8.ToArray(), request.Inputs[1].Strings![0].ToArray());
        Assert.Equal(new byte[] { 0, 0xFE }, request.Inputs[1].Strings![1].ToArray());
    }

    private static JsonDocument Header(string model, string version, string? id, params OutputTensor[] outputs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        InferResponseWriter.WriteHeader(buffer, model, version, id, outputs);
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static OrtValue StringTensor(long[] shape, byte[][] elements) =>
        OrtValue.CreateStringTensor(shape, elements.Select(e => (ReadOnlyMemory<byte>)e).ToList());

    private static void AssertSameElements(string datatype, JsonElement expected, JsonElement actual)
    {
        Assert.Equal(JsonValueKind.Array, actual.ValueKind);
        var e = expected.EnumerateArray().ToArray();
        var a = actual.EnumerateArray().ToArray();
        Assert.Equal(e.Length, a.Length);
        for (var i = 0; i < e.Length; i++)
        {
            Assert.Equal(e[i].ValueKind, a[i].ValueKind);
            switch (e[i].ValueKind)
            {
                case JsonValueKind.String:
                    Assert.Equal(e[i].GetString(), a[i].GetString());
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    break;
                case JsonValueKind.Number when datatype is "FP32" or "FP16" or "BF16":
                    Assert.Equal(e[i].GetSingle(), a[i].GetSingle());
                    Assert.Equal(float.IsNegative(e[i].GetSingle()), float.IsNegative(a[i].GetSingle()));
                    break;
                case JsonValueKind.Number when datatype is "FP64":
                    Assert.Equal(e[i].GetDouble(), a[i].GetDouble());
                    break;
                case JsonValueKind.Number:
                    // Integers must be written as integers, exactly.
                    Assert.True(a[i].TryGetInt64(out _) || a[i].TryGetUInt64(out _), $"element {i} ({a[i].GetRawText()}) is not an integer");
                    Assert.Equal(e[i].GetDecimal(), a[i].GetDecimal());
                    break;
                default:
                    Assert.Fail($"unexpected expectation {e[i].ValueKind}");
                    break;
            }
        }
    }
}
