using System.Runtime.InteropServices;
using System.Text;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Buffers;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class InferRequestReaderTests
{
    private static readonly Dictionary<string, TensorElementType> Types = new()
    {
        ["BOOL"] = TensorElementType.Bool,
        ["UINT8"] = TensorElementType.UInt8,
        ["UINT16"] = TensorElementType.UInt16,
        ["UINT32"] = TensorElementType.UInt32,
        ["UINT64"] = TensorElementType.UInt64,
        ["INT8"] = TensorElementType.Int8,
        ["INT16"] = TensorElementType.Int16,
        ["INT32"] = TensorElementType.Int32,
        ["INT64"] = TensorElementType.Int64,
        ["FP16"] = TensorElementType.Float16,
        ["BF16"] = TensorElementType.BFloat16,
        ["FP32"] = TensorElementType.Float,
        ["FP64"] = TensorElementType.Double,
        ["BYTES"] = TensorElementType.String,
    };

    private readonly PinnedBufferPool pool = new();

    /// <summary>
    /// Four elements per datatype (boundary values included) as JSON tokens, and the bytes they must
    /// become. FP16/BF16 expectations are raw IEEE bits worked out by hand, not by the code under test.
    /// </summary>
    public static TheoryData<string, string[], byte[]> FixedTypes => new()
    {
        { "BOOL", ["true", "false", "1", "0"], TestBody.Bytes<byte>(1, 0, 1, 0) },
        { "UINT8", ["0", "1", "255", "128"], TestBody.Bytes<byte>(0, 1, 255, 128) },
        { "UINT16", ["0", "1", "65535", "256"], TestBody.Bytes<ushort>(0, 1, 65535, 256) },
        { "UINT32", ["0", "1", "4294967295", "65536"], TestBody.Bytes<uint>(0, 1, uint.MaxValue, 65536) },
        { "UINT64", ["0", "1", "18446744073709551615", "4294967296"], TestBody.Bytes<ulong>(0, 1, ulong.MaxValue, 4294967296) },
        { "INT8", ["-128", "127", "0", "-1"], TestBody.Bytes<sbyte>(-128, 127, 0, -1) },
        { "INT16", ["-32768", "32767", "0", "-1"], TestBody.Bytes<short>(short.MinValue, short.MaxValue, 0, -1) },
        { "INT32", ["-2147483648", "2147483647", "0", "-1"], TestBody.Bytes(int.MinValue, int.MaxValue, 0, -1) },
        { "INT64", ["-9223372036854775808", "9223372036854775807", "0", "-1"], TestBody.Bytes(long.MinValue, long.MaxValue, 0L, -1L) },
        { "FP16", ["0.5", "-2", "1024", "65504"], TestBody.Bytes<ushort>(0x3800, 0xC000, 0x6400, 0x7BFF) },

        // 1.00390625 = 1 + 2^-8 lies halfway between bf16 1.0 (0x3F80) and 1.0078125 (0x3F81): ties to even.
        // 1.01171875 = 1 + 3 * 2^-8 lies halfway between 0x3F81 and 0x3F82: ties to even, up.
        { "BF16", ["0.5", "-2", "1.00390625", "1.01171875"], TestBody.Bytes<ushort>(0x3F00, 0xC000, 0x3F80, 0x3F82) },
        { "FP32", ["0.5", "-2", "1e-45", "3.4028235e38"], TestBody.Bytes(0.5f, -2f, float.Epsilon, float.MaxValue) },
        { "FP64", ["0.1", "-2", "5e-324", "1.7976931348623157e308"], TestBody.Bytes(0.1, -2.0, double.Epsilon, double.MaxValue) },
    };

    [Theory]
    [MemberData(nameof(FixedTypes))]
    public void DecodesFlatDataIntoLittleEndianBinaryLayout(string datatype, string[] elements, byte[] expected)
    {
        Assert.True(BitConverter.IsLittleEndian);
        var json = Request(Input("x", datatype, "[4]", "[" + string.Join(",", elements) + "]"));
        using var request = TestBody.Json(json).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(Types[datatype], input.ElementType);
        Assert.Equal(new long[] { 4 }, input.Shape);
        Assert.Equal(4, input.ElementCount);
        Assert.Equal(expected.Length, input.DataLength);
        Assert.Equal(expected, input.DataSpan.ToArray());
        Assert.Null(input.Strings);
        Assert.NotNull(input.Owner);
        Assert.Same(input.Owner.Array, input.Data);
    }

    [Theory]
    [MemberData(nameof(FixedTypes))]
    public void DecodesNestedDataRowMajor(string datatype, string[] elements, byte[] expected)
    {
        var nested = $"[[{elements[0]},{elements[1]}],[{elements[2]},{elements[3]}]]";
        using var request = TestBody.Json(Request(Input("x", datatype, "[2,2]", nested))).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Equal(new long[] { 2, 2 }, input.Shape);
        Assert.Equal(expected, input.DataSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(FixedTypes))]
    public void DataBeforeDatatypeAndShapeDecodesTheSame(string datatype, string[] elements, byte[] expected)
    {
        var data = "[" + string.Join(",", elements) + "]";
        var json = Request($$"""{"data":{{data}},"shape":[4],"name":"x","datatype":"{{datatype}}"}""");
        using var request = TestBody.Json(json, prefix: 5).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Equal(Types[datatype], input.ElementType);
        Assert.Equal(new long[] { 4 }, input.Shape);
        Assert.Equal(expected, input.DataSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(FixedTypes))]
    public void DataBeforeShapeDecodesTheSame(string datatype, string[] elements, byte[] expected)
    {
        // The datatype is known but the shape is not: the decoder cannot size the buffer up front.
        var data = "[" + string.Join(",", elements) + "]";
        var json = Request($$"""{"name":"x","datatype":"{{datatype}}","data":{{data}},"shape":[2,2]}""");
        using var request = TestBody.Json(json).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Equal(new long[] { 2, 2 }, input.Shape);
        Assert.Equal(expected, input.DataSpan.ToArray());
    }

    [Fact]
    public void DataBeforeShapeLongerThanTheInitialBufferGrows()
    {
        var values = Enumerable.Range(0, 3000).Select(i => (long)i * 1_000_003 - 7).ToArray();
        var json = Request($$"""{"name":"x","datatype":"INT64","data":[{{string.Join(",", values)}}],"shape":[3000]}""");
        using var request = TestBody.Json(json).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Equal(3000 * 8, input.DataLength);
        Assert.Equal(values, MemoryMarshal.Cast<byte, long>(input.DataSpan).ToArray());
    }

    [Fact]
    public void BareScalarWithEmptyShape()
    {
        using var request = TestBody.Json(Request(Input("s", "INT64", "[]", "-5"))).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Empty(input.Shape);
        Assert.Equal(1, input.ElementCount);
        Assert.Equal(TestBody.Bytes(-5L), input.DataSpan.ToArray());
    }

    [Fact]
    public void BareNonFiniteScalarWithEmptyShape()
    {
        using var request = TestBody.Json(Request(Input("s", "FP32", "[]", "\"-Infinity\""))).Read(pool);

        Assert.Equal(TestBody.Bytes(float.NegativeInfinity), Assert.Single(request.Inputs).DataSpan.ToArray());
    }

    [Fact]
    public void BareBytesScalarWithEmptyShape()
    {
        using var request = TestBody.Json(Request(Input("s", "BYTES", "[]", "\"hello\""))).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Empty(input.Shape);
        Assert.Equal("hello"u8.ToArray(), Assert.Single(input.Strings!).ToArray());
    }

    [Theory]
    [InlineData("INT32")]
    [InlineData("FP16")]
    [InlineData("BOOL")]
    [InlineData("FP64")]
    public void ZeroSizeShapeWithEmptyData(string datatype)
    {
        using var request = TestBody.Json(Request(Input("z", datatype, "[0,3]", "[]"))).Read(pool);

        var input = Assert.Single(request.Inputs);
        Assert.Equal(new long[] { 0, 3 }, input.Shape);
        Assert.Equal(0, input.ElementCount);
        Assert.Equal(0, input.DataLength);
    }

    [Fact]
    public void ZeroSizeBytesWithEmptyData()
    {
        using var request = TestBody.Json(Request(Input("z", "BYTES", "[0,3]", "[]"))).Read(pool);

        Assert.Empty(Assert.Single(request.Inputs).Strings!);
    }

    [Fact]
    public void NonFiniteStringsForEveryFloatType()
    {
        const string Data = """["NaN","Infinity","-Infinity"]""";
        var json = Request(
            Input("f32", "FP32", "[3]", Data),
            Input("f64", "FP64", "[3]", Data),
            Input("f16", "FP16", "[3]", Data),
            Input("bf16", "BF16", "[3]", Data));
        using var request = TestBody.Json(json).Read(pool);

        var f32 = MemoryMarshal.Cast<byte, float>(request.Inputs[0].DataSpan).ToArray();
        Assert.True(float.IsNaN(f32[0]));
        Assert.Equal(new[] { float.PositiveInfinity, float.NegativeInfinity }, f32[1..]);

        var f64 = MemoryMarshal.Cast<byte, double>(request.Inputs[1].DataSpan).ToArray();
        Assert.True(double.IsNaN(f64[0]));
        Assert.Equal(new[] { double.PositiveInfinity, double.NegativeInfinity }, f64[1..]);

        // Half: exponent all ones; NaN has a non-zero mantissa, infinities have none (0x7C00, 0xFC00).
        var f16 = MemoryMarshal.Cast<byte, ushort>(request.Inputs[2].DataSpan).ToArray();
        Assert.Equal(0x7C00, f16[0] & 0x7C00);
        Assert.NotEqual(0, f16[0] & 0x03FF);
        Assert.Equal(new ushort[] { 0x7C00, 0xFC00 }, f16[1..]);

        // bfloat16: exponent 0x7F80; NaN has a non-zero mantissa, infinities have none.
        var bf16 = MemoryMarshal.Cast<byte, ushort>(request.Inputs[3].DataSpan).ToArray();
        Assert.Equal(0x7F80, bf16[0] & 0x7F80);
        Assert.NotEqual(0, bf16[0] & 0x007F);
        Assert.Equal(new ushort[] { 0x7F80, 0xFF80 }, bf16[1..]);
    }

    [Fact]
    public void BytesWithoutEscapesAreSlicesOfTheBody()
    {
        var body = TestBody.Json(Request(Input("s", "BYTES", "[3]", """["abc","","héllo"]""")), prefix: 11);
        using var request = body.Read(pool);

        var strings = Assert.Single(request.Inputs).Strings!;
        Assert.Equal(3, strings.Count);
        Assert.Equal("abc"u8.ToArray(), strings[0].ToArray());
        Assert.Empty(strings[1].ToArray());
        Assert.Equal(Encoding.UTF8.GetBytes("héllo"), strings[2].ToArray());

        Assert.True(MemoryMarshal.TryGetArray(strings[0], out var abc));
        Assert.Same(body.Array, abc.Array);
        Assert.Equal(body.IndexOf("\"abc\"") + 1, abc.Offset);

        Assert.True(MemoryMarshal.TryGetArray(strings[2], out var hello));
        Assert.Same(body.Array, hello.Array);
        Assert.Equal(body.IndexOf("\"héllo\"") + 1, hello.Offset);
    }

    [Fact]
    public void BytesWithEscapesAreUnescapedCopies()
    {
        var body = TestBody.Json(Request(Input("s", "BYTES", "[2,2]", """[["a\"b","\u00e9"],["tab\there","back\\slash"]]""")));
        using var request = body.Read(pool);

        var strings = Assert.Single(request.Inputs).Strings!;
        Assert.Equal("a\"b"u8.ToArray(), strings[0].ToArray());
        Assert.Equal(new byte[] { 0xC3, 0xA9 }, strings[1].ToArray());
        Assert.Equal("tab\there"u8.ToArray(), strings[2].ToArray());
        Assert.Equal("back\\slash"u8.ToArray(), strings[3].ToArray());
        Assert.True(MemoryMarshal.TryGetArray(strings[0], out var copy));
        Assert.NotSame(body.Array, copy.Array);
    }

    [Fact]
    public void BytesDataBeforeDatatypeStillPointsIntoTheBody()
    {
        var body = TestBody.Json(Request("""{"data":["first","se\"cond"],"shape":[2],"datatype":"BYTES","name":"s"}"""), prefix: 3);
        using var request = body.Read(pool);

        var strings = Assert.Single(request.Inputs).Strings!;
        Assert.Equal("first"u8.ToArray(), strings[0].ToArray());
        Assert.Equal("se\"cond"u8.ToArray(), strings[1].ToArray());
        Assert.True(MemoryMarshal.TryGetArray(strings[0], out var first));
        Assert.Same(body.Array, first.Array);
        Assert.Equal(body.IndexOf("\"first\"") + 1, first.Offset);
    }

    [Fact]
    public void IdParametersAndUnknownKeys()
    {
        const string Json = """
            {"model_name":"ignored","id":"req-1",
             "parameters":{"priority":3,"timeout":1.5,"tag":"t","flag":true,"none":null,"big":-9223372036854775808},
             "extra":{"deep":[1,[2,{"x":null}]]},
             "inputs":[{"name":"x","datatype":"INT32","shape":[1],"data":[7],"future":[{"a":1}]}]}
            """;
        using var request = TestBody.Json(Json).Read(pool);

        Assert.Equal("req-1", request.Id);
        Assert.Equal(3L, request.Parameters["priority"]);
        Assert.Equal(1.5, request.Parameters["timeout"]);
        Assert.Equal("t", request.Parameters["tag"]);
        Assert.Equal(true, request.Parameters["flag"]);
        Assert.Null(request.Parameters["none"]);
        Assert.Equal(long.MinValue, request.Parameters["big"]);
        Assert.Equal(TestBody.Bytes(7), Assert.Single(request.Inputs).DataSpan.ToArray());
        Assert.Null(request.Outputs);
        Assert.False(request.BinaryDataOutput);
    }

    [Fact]
    public void SeveralInputsKeepTheirOrderAndOwnSeparateBuffers()
    {
        var json = Request(
            Input("a", "INT32", "[2]", "[1,2]"),
            Input("b", "BYTES", "[1]", """["z"]"""),
            Input("c", "FP64", "[1]", "[3.25]"));
        using var request = TestBody.Json(json).Read(pool);

        Assert.Equal(new[] { "a", "b", "c" }, request.Inputs.Select(i => i.Name));
        Assert.Equal(TestBody.Bytes(1, 2), request.Inputs[0].DataSpan.ToArray());
        Assert.Equal(TestBody.Bytes(3.25), request.Inputs[2].DataSpan.ToArray());
        Assert.NotSame(request.Inputs[0].Data, request.Inputs[2].Data);
        Assert.Null(request.Inputs[1].Owner);
    }

    // ---- Binary tensor data extension ----

    [Fact]
    public void BinaryInputsAreReadInPlaceAtTheirOffsets()
    {
        var a = TestBody.Bytes(7, -9);
        var c = TestBody.LengthPrefixed("hi"u8.ToArray(), [], [0, 0xFF, (byte)'x']);
        var json = Request(
            Binary("a", "INT32", "[2]", a.Length),
            Input("b", "FP32", "[1]", "[2.5]"),
            Binary("c", "BYTES", "[3]", c.Length));
        var body = TestBody.Create(json, 13, a, c);
        using var request = body.Read(pool);

        var inA = request.Inputs[0];
        Assert.Same(body.Array, inA.Data);
        Assert.Equal(body.BinaryStart, inA.DataOffset);
        Assert.Equal(8, inA.DataLength);
        Assert.Null(inA.Owner);
        Assert.Equal(a, inA.DataSpan.ToArray());

        var inB = request.Inputs[1];
        Assert.NotSame(body.Array, inB.Data);
        Assert.Equal(TestBody.Bytes(2.5f), inB.DataSpan.ToArray());

        var strings = request.Inputs[2].Strings!;
        Assert.Equal(3, strings.Count);
        Assert.Equal("hi"u8.ToArray(), strings[0].ToArray());
        Assert.Empty(strings[1].ToArray());
        Assert.Equal(new byte[] { 0, 0xFF, (byte)'x' }, strings[2].ToArray());

        // Element 0 starts after a's 8 bytes and its own 4-byte length; element 2 after "hi" and two more lengths.
        Assert.True(MemoryMarshal.TryGetArray(strings[0], out var s0));
        Assert.Same(body.Array, s0.Array);
        Assert.Equal(body.BinaryStart + 8 + 4, s0.Offset);
        Assert.True(MemoryMarshal.TryGetArray(strings[2], out var s2));
        Assert.Equal(body.BinaryStart + 8 + 4 + 2 + 4 + 4, s2.Offset);
    }

    [Fact]
    public void BinaryInputOfZeroElements()
    {
        var body = TestBody.Create(Request(Binary("z", "FP32", "[0,4]", 0), Binary("y", "INT8", "[2]", 2)), 0, [], [1, 0xFF]);
        using var request = body.Read(pool);

        Assert.Equal(0, request.Inputs[0].DataLength);
        Assert.Equal(new byte[] { 1, 0xFF }, request.Inputs[1].DataSpan.ToArray());
        Assert.Equal(body.BinaryStart, request.Inputs[1].DataOffset);
    }

    /// <summary>Every fixed datatype encoded by hand in binary form decodes to exactly the original values.</summary>
    public static TheoryData<string, byte[]> BinaryOriginals => new()
    {
        { "BOOL", TestBody.Bytes<byte>(1, 0, 0, 1, 1) },
        { "UINT8", TestBody.Bytes<byte>(0, 255, 17, 128, 1) },
        { "UINT16", TestBody.Bytes<ushort>(0, 65535, 258, 32768, 1) },
        { "UINT32", TestBody.Bytes<uint>(0, uint.MaxValue, 16909060, 2147483648, 1) },
        { "UINT64", TestBody.Bytes<ulong>(0, ulong.MaxValue, 72623859790382856, 9223372036854775808, 1) },
        { "INT8", TestBody.Bytes<sbyte>(sbyte.MinValue, sbyte.MaxValue, 0, -1, 5) },
        { "INT16", TestBody.Bytes<short>(short.MinValue, short.MaxValue, 0, -1, 5) },
        { "INT32", TestBody.Bytes(int.MinValue, int.MaxValue, 0, -1, 5) },
        { "INT64", TestBody.Bytes(long.MinValue, long.MaxValue, 0L, -1L, 5L) },
        { "FP16", TestBody.Bytes((Half)0.5, (Half)(-2), Half.MaxValue, Half.Epsilon, Half.NaN) },
        { "BF16", TestBody.Bytes<ushort>(0x3F00, 0xC000, 0x7F7F, 0x0001, 0x7FC1) },
        { "FP32", TestBody.Bytes(0.1f, -2f, float.MaxValue, float.Epsilon, float.NaN) },
        { "FP64", TestBody.Bytes(0.1, -2.0, double.MaxValue, double.Epsilon, double.NegativeInfinity) },
    };

    [Theory]
    [MemberData(nameof(BinaryOriginals))]
    public void BinaryRoundTripForEveryFixedDatatype(string datatype, byte[] original)
    {
        // A JSON input around it makes the binary section start after other data.
        var json = Request(Input("j", "INT32", "[1]", "[1]"), Binary("x", datatype, "[5]", original.Length));
        var body = TestBody.Create(json, 7, original);
        using var request = body.Read(pool);

        var input = request.Inputs[1];
        Assert.Equal(Types[datatype], input.ElementType);
        Assert.Equal(original, input.DataSpan.ToArray());
        Assert.Same(body.Array, input.Data);
        Assert.Equal(body.BinaryStart, input.DataOffset);
    }

    // ---- Requested outputs ----

    [Fact]
    public void RequestLevelBinaryOutputWithPerOutputOverride()
    {
        const string Json = """
            {"inputs":[],"parameters":{"binary_data_output":true},
             "outputs":[{"name":"a"},{"name":"b","parameters":{"binary_data":false}},{"name":"c","parameters":{"binary_data":true}}]}
            """;
        using var request = TestBody.Json(Json).Read(pool);

        Assert.True(request.BinaryDataOutput);
        Assert.Equal(new[] { new RequestedOutput("a", null), new RequestedOutput("b", false), new RequestedOutput("c", true) }, request.Outputs!);
    }

    [Fact]
    public void PerOutputBinaryWithoutRequestLevelFlag()
    {
        const string Json = """
            {"outputs":[{"parameters":{"binary_data":true},"name":"a"},{"name":"b"}],"inputs":[],"parameters":{"binary_data_output":false}}
            """;
        using var request = TestBody.Json(Json).Read(pool);

        Assert.False(request.BinaryDataOutput);
        Assert.Equal(new[] { new RequestedOutput("a", true), new RequestedOutput("b", null) }, request.Outputs!);
    }

    [Fact]
    public void EmptyOutputsListIsNotAbsent()
    {
        using var request = TestBody.Json("""{"inputs":[],"outputs":[]}""").Read(pool);

        Assert.NotNull(request.Outputs);
        Assert.Empty(request.Outputs);
    }

    // ---- Malformed requests ----

    public static TheoryData<string, string[]> Malformed => new()
    {
        { "not json at all", ["malformed JSON"] },
        { "", ["malformed JSON"] },
        { "[1,2]", ["must be a JSON object"] },
        { "\"inputs\"", ["must be a JSON object"] },
        { """{"inputs":[]} x""", ["after"] },
        { """{"inputs":[]}{}""", ["after"] },
        { """{"inputs":[""", ["malformed JSON"] },
        { "{}", ["no 'inputs'"] },
        { """{"id":"r"}""", ["no 'inputs'"] },
        { """{"id":5,"inputs":[]}""", ["'id'"] },
        { """{"inputs":{}}""", ["'inputs' must be an array"] },
        { """{"inputs":[5]}""", ["input 0", "JSON object"] },
        { Request("""{"datatype":"INT32","shape":[1],"data":[1]}"""), ["input 0", "'name'"] },
        { Request("""{"name":7,"datatype":"INT32","shape":[1],"data":[1]}"""), ["input 0", "'name'"] },
        { Request("""{"name":"x","shape":[1],"data":[1]}"""), ["'x'", "'datatype'"] },
        { Request("""{"name":"x","datatype":"INT32","data":[1]}"""), ["'x'", "'shape'"] },
        { Request("""{"name":"x","datatype":"INT32","shape":[1]}"""), ["'x'", "'data'", "binary_data_size"] },
        { Request(Input("x", "FP8", "[1]", "[1]")), ["'x'", "FP8", "FP32"] },
        { Request(Input("x", "fp32", "[1]", "[1]")), ["'x'", "fp32"] },
        { Request("""{"name":"x","datatype":3,"shape":[1],"data":[1]}"""), ["'x'", "datatype"] },
        { Request(Input("x", "INT32", "[2,-1]", "[1]")), ["'x'", "dimension 1", "-1"] },
        { Request(Input("x", "INT32", "[1.5]", "[1]")), ["'x'", "dimension 0", "1.5"] },
        { Request(Input("x", "INT32", "[\"2\"]", "[1,2]")), ["'x'", "dimension 0"] },
        { Request(Input("x", "INT32", "3", "[1,2,3]")), ["'x'", "'shape'"] },
        { Request(Input("x", "INT32", "[4294967296,4294967296]", "[1]")), ["'x'", "too large"] },
        { Request(Input("x", "INT32", "[3]", "[1,2]")), ["'x'", "needs 3 elements", "has 2"] },
        { Request(Input("x", "INT32", "[1]", "[1,2]")), ["'x'", "needs 1 elements", "has 2"] },
        { Request(Input("x", "INT32", "[2,2]", "[[1,2],[3]]")), ["'x'", "needs 4 elements", "has 3"] },
        { Request(Input("x", "BYTES", "[3]", """["a","b"]""")), ["'x'", "needs 3 elements", "has 2"] },
        { Request(Input("x", "BYTES", "[1]", """["a","b"]""")), ["'x'", "needs 1 elements", "has 2"] },
        { Request(Input("x", "INT32", "[0]", "[1]")), ["'x'", "needs 0 elements", "has 1"] },
        { Request(Input("x", "UINT8", "[2]", "[1,256]")), ["'x'", "element 1", "256", "UINT8"] },
        { Request(Input("x", "UINT8", "[1]", "[-1]")), ["'x'", "-1", "UINT8"] },
        { Request(Input("x", "INT8", "[1]", "[128]")), ["'x'", "128", "INT8"] },
        { Request(Input("x", "INT8", "[1]", "[-129]")), ["'x'", "-129", "INT8"] },
        { Request(Input("x", "UINT16", "[1]", "[65536]")), ["'x'", "65536", "UINT16"] },
        { Request(Input("x", "INT16", "[1]", "[-32769]")), ["'x'", "-32769", "INT16"] },
        { Request(Input("x", "UINT32", "[1]", "[4294967296]")), ["'x'", "4294967296", "UINT32"] },
        { Request(Input("x", "INT32", "[1]", "[2147483648]")), ["'x'", "2147483648", "INT32"] },
        { Request(Input("x", "UINT64", "[1]", "[18446744073709551616]")), ["'x'", "18446744073709551616", "UINT64"] },
        { Request(Input("x", "UINT64", "[1]", "[-1]")), ["'x'", "UINT64"] },
        { Request(Input("x", "INT64", "[1]", "[9223372036854775808]")), ["'x'", "9223372036854775808", "INT64"] },
        { Request(Input("x", "INT32", "[3]", "[1,1.5,2]")), ["'x'", "element 1", "1.5", "INT32"] },
        { Request(Input("x", "FP32", "[1]", "[1e39]")), ["'x'", "1e39", "FP32"] },
        { Request(Input("x", "FP32", "[1]", "[-1e39]")), ["'x'", "-1e39", "FP32"] },
        { Request(Input("x", "FP64", "[1]", "[1e309]")), ["'x'", "1e309", "FP64"] },
        { Request(Input("x", "FP16", "[1]", "[70000]")), ["'x'", "70000", "FP16"] },
        { Request(Input("x", "BF16", "[1]", "[1e39]")), ["'x'", "1e39", "BF16"] },
        { Request(Input("x", "INT32", "[1]", "[true]")), ["'x'", "true", "INT32"] },
        { Request(Input("x", "FP32", "[1]", "[\"abc\"]")), ["'x'", "abc", "FP32"] },
        { Request(Input("x", "FP32", "[1]", "[\"1.5\"]")), ["'x'", "1.5", "FP32"] },
        { Request(Input("x", "FP32", "[1]", "[null]")), ["'x'", "null", "FP32"] },
        { Request(Input("x", "INT32", "[1]", "[{\"v\":1}]")), ["'x'", "an object", "INT32"] },
        { Request(Input("x", "BOOL", "[1]", "[2]")), ["'x'", "BOOL"] },
        { Request(Input("x", "BOOL", "[1]", "[\"true\"]")), ["'x'", "BOOL"] },
        { Request(Input("x", "BYTES", "[1]", "[1]")), ["'x'", "BYTES"] },
        { Request(Input("x", "BYTES", "[1]", "[null]")), ["'x'", "BYTES"] },
        { Request(Input("x", "INT32", "[2]", "[1,\"NaN\"]")), ["'x'", "NaN", "INT32"] },
        { Request("""{"name":"x","datatype":"INT32","shape":[1],"parameters":[]}"""), ["input 'x'", "'parameters'"] },
        { Request("""{"name":"x","datatype":"INT32","shape":[1],"parameters":{"binary_data_size":-4}}"""), ["'x'", "binary_data_size"] },
        { Request("""{"name":"x","datatype":"INT32","shape":[1],"parameters":{"binary_data_size":2.5}}"""), ["'x'", "binary_data_size"] },
        { Request("""{"name":"x","datatype":"INT32","shape":[1],"parameters":{"binary_data_size":"4"}}"""), ["'x'", "binary_data_size"] },
        { Request("""{"name":"x","datatype":"INT32","shape":[1],"parameters":{"p":[1]}}"""), ["input 'x'", "parameter 'p'"] },
        { """{"inputs":[],"parameters":[1]}""", ["request", "'parameters'"] },
        { """{"inputs":[],"parameters":"binary"}""", ["request", "'parameters'"] },
        { """{"inputs":[],"parameters":{"o":{"a":1}}}""", ["request", "parameter 'o'"] },
        { """{"inputs":[],"outputs":{}}""", ["'outputs' must be an array"] },
        { """{"inputs":[],"outputs":["y"]}""", ["output 0", "JSON object"] },
        { """{"inputs":[],"outputs":[{"name":"y"},{"parameters":{"binary_data":true}}]}""", ["output 1", "'name'"] },
        { """{"inputs":[],"outputs":[{"name":5}]}""", ["output 0", "'name'"] },
        { """{"inputs":[],"outputs":[{"name":"y","parameters":{"binary_data":1}}]}""", ["output 'y'", "binary_data"] },
        { """{"inputs":[],"outputs":[{"name":"y","parameters":{"binary_data":"true"}}]}""", ["output 'y'", "binary_data"] },
        { """{"inputs":[],"outputs":[{"name":"y","parameters":true}]}""", ["output 'y'", "'parameters'"] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedRequestIsInvalidRequestNamingTheProblem(string json, string[] fragments)
    {
        var probe = new PoolProbe();
        var e = Assert.Throws<InferenceException>(() => TestBody.Json(json, prefix: 2).Read(probe.Pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, e.Error.Message, StringComparison.Ordinal);
        }

        probe.AssertAllReturned();
    }

    [Theory]
    [InlineData("[1,2,3,4]", "[3]")]
    [InlineData("[1,2,3,4]", "[5]")]
    [InlineData("[1,2,3,4,true]", "[5]")]
    public void BufferDecodedBeforeAFailureGoesBackToThePool(string data, string shape)
    {
        var probe = new PoolProbe();
        var json = Request(Input("x", "INT32", shape, data));

        var e = Assert.Throws<InferenceException>(() => TestBody.Json(json).Read(probe.Pool));

        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        Assert.True(probe.WasFilledWith(TestBody.Bytes(1, 2, 3, 4)), "the decoder did not use the pool at all");
        probe.AssertAllReturned();
    }

    [Fact]
    public void EarlierInputsGoBackToThePoolWhenALaterInputFails()
    {
        var probe = new PoolProbe();
        var json = Request(
            Input("first", "INT32", "[2]", "[11,12]"),
            Input("second", "INT32", "[2]", "[21,22]"),
            Input("third", "UINT8", "[1]", "[300]"));

        var e = Assert.Throws<InferenceException>(() => TestBody.Json(json).Read(probe.Pool));

        Assert.Contains("'third'", e.Message, StringComparison.Ordinal);
        Assert.True(probe.WasFilledWith(TestBody.Bytes(11, 12)));
        Assert.True(probe.WasFilledWith(TestBody.Bytes(21, 22)));
        probe.AssertAllReturned();
    }

    [Fact]
    public void DecodedInputsGoBackToThePoolWhenTheBinarySectionDoesNotAddUp()
    {
        var probe = new PoolProbe();
        var json = Request(Input("j", "INT32", "[2]", "[31,32]"), Binary("b", "UINT8", "[2]", 2));
        var body = TestBody.Create(json, 0, [1, 2], [3]);

        var e = Assert.Throws<InferenceException>(() => body.Read(probe.Pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        Assert.Contains("3 bytes of binary data", e.Message, StringComparison.Ordinal);
        Assert.Contains("add up to 2", e.Message, StringComparison.Ordinal);
        Assert.True(probe.WasFilledWith(TestBody.Bytes(31, 32)));
        probe.AssertAllReturned();
    }

    [Fact]
    public void DisposingTheRequestReturnsEveryDecodedBuffer()
    {
        var probe = new PoolProbe();
        var json = Request(Input("a", "INT32", "[1]", "[41]"), Input("b", "INT16", "[1]", "[42]"), Binary("c", "UINT8", "[1]", 1));
        var request = TestBody.Create(json, 0, [9]).Read(probe.Pool);
        Assert.True(probe.WasFilledWith(TestBody.Bytes(41)));
        Assert.True(probe.WasFilledWith(TestBody.Bytes<short>(42)));

        request.Dispose();

        probe.AssertAllReturned();
    }

    [Fact]
    public void BothDataAndBinaryDataSize()
    {
        var probe = new PoolProbe();
        var json = Request("""{"name":"x","datatype":"INT32","shape":[1],"data":[51],"parameters":{"binary_data_size":4}}""");

        var e = Assert.Throws<InferenceException>(() => TestBody.Create(json, 0, TestBody.Bytes(1)).Read(probe.Pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        Assert.Contains("both", e.Message, StringComparison.Ordinal);
        Assert.True(probe.WasFilledWith(TestBody.Bytes(51)));
        probe.AssertAllReturned();
    }

    [Fact]
    public void BothBinaryDataSizeAndDataBeforeDatatype()
    {
        var json = Request("""{"parameters":{"binary_data_size":4},"data":["s"],"name":"x","shape":[1],"datatype":"BYTES"}""");

        var e = Assert.Throws<InferenceException>(() => TestBody.Create(json, 0, TestBody.LengthPrefixed([])).Read(pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        Assert.Contains("'x' has both", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string[]> MalformedBinary => new()
    {
        // binary_data_size larger than what remains.
        { Request(Binary("x", "INT32", "[2]", 8)), TestBody.Bytes(1), ["'x'", "binary_data_size is 8", "only 4 bytes"] },
        { Request(Binary("a", "UINT8", "[2]", 2), Binary("x", "UINT8", "[2]", 2)), [1, 2, 3], ["'x'", "binary_data_size is 2", "only 1 bytes"] },
        { Request(Binary("x", "UINT8", "[1]", 1)), [], ["'x'", "only 0 bytes"] },

        // Binary sizes not adding up to the binary section.
        { Request(Binary("x", "UINT8", "[1]", 1)), [1, 2], ["2 bytes of binary data", "add up to 1"] },
        { Request(Input("x", "UINT8", "[1]", "[1]")), [1], ["1 bytes of binary data", "add up to 0"] },

        // Wrong binary size for the shape.
        { Request(Binary("x", "INT32", "[2]", 6)), [1, 2, 3, 4, 5, 6], ["'x'", "[2]", "INT32", "needs 8 bytes", "binary_data_size is 6"] },
        { Request(Binary("x", "FP16", "[3]", 3)), [1, 2, 3], ["'x'", "needs 6 bytes"] },
        { Request(Binary("x", "BOOL", "[2,2]", 5)), [1, 0, 1, 0, 1], ["'x'", "needs 4 bytes"] },

        // BYTES: truncated length prefix, length beyond the end, element count not matching the shape.
        { Request(Binary("x", "BYTES", "[1]", 3)), [1, 0, 0], ["'x'", "element 0", "length prefix"] },
        { Request(Binary("x", "BYTES", "[2]", 7)), [1, 0, 0, 0, (byte)'a', 5, 0], ["'x'", "element 1", "length prefix"] },
        { Request(Binary("x", "BYTES", "[1]", 6)), [10, 0, 0, 0, (byte)'a', (byte)'b'], ["'x'", "element 0", "says 10 bytes", "only 2 remain"] },
        { Request(Binary("x", "BYTES", "[1]", 4)), [0, 0, 0, 0x80], ["'x'", "element 0", "only 0 remain"] },
        { Request(Binary("x", "BYTES", "[3]", 10)), TestBody.LengthPrefixed("ab"u8.ToArray(), []), ["'x'", "needs 3 elements", "holds 2"] },
        { Request(Binary("x", "BYTES", "[1]", 0)), [], ["'x'", "needs 1 elements", "holds 0"] },
    };

    [Theory]
    [MemberData(nameof(MalformedBinary))]
    public void MalformedBinaryIsInvalidRequestNamingTheProblem(string json, byte[] binary, string[] fragments)
    {
        var probe = new PoolProbe();
        var e = Assert.Throws<InferenceException>(() => TestBody.Create(json, 1, binary).Read(probe.Pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, e.Error.Message, StringComparison.Ordinal);
        }

        probe.AssertAllReturned();
    }

    // ---- Bugs found (skipped until src is fixed; see the test names and skip reasons) ----

    public static TheoryData<string> UntranscodableStrings => new()
    {
        Request("""{"name":"\ud800","datatype":"INT32","shape":[1],"data":[1]}"""),
        """{"id":"\udc00","inputs":[]}""",
        """{"parameters":{"\ud800":1},"inputs":[]}""",
        """{"parameters":{"p":"\ud800"},"inputs":[]}""",
        Request(Input("x", "BYTES", "[1]", "[\"\\ud800\"]")),
        Request(Input("x", "FP32", "[1]", "[\"\\ud800\"]")),
        Request(Input("x", "\\ud800", "[1]", "[1]")),
        """{"inputs":[],"outputs":[{"name":"\ud83d"}]}""",
    };

    [Theory]
    [MemberData(nameof(UntranscodableStrings))]
    public void LoneSurrogateEscapeIsInvalidRequest(string json)
    {
        var e = Assert.Throws<InferenceException>(() => TestBody.Json(json).Read(pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
    }

    [Fact]
    public void InvalidUtf8InNameIsInvalidRequest()
    {
        var body = TestBody.Json(Request(Input("xZ", "INT32", "[1]", "[1]")));
        body.Array[body.IndexOf("xZ") + 1] = 0xFF;

        var e = Assert.Throws<InferenceException>(() => body.Read(pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
    }

    [Fact]
    public void InvalidUtf8InsideBytesDataIsKeptAsIs()
    {
        // BYTES elements are raw bytes: no transcoding, so invalid UTF-8 is not an error.
        var body = TestBody.Json(Request(Input("x", "BYTES", "[1]", "[\"aZb\"]")));
        body.Array[body.IndexOf("aZb") + 1] = 0xFF;
        using var request = body.Read(pool);

        Assert.Equal(new byte[] { (byte)'a', 0xFF, (byte)'b' }, Assert.Single(request.Inputs).Strings![0].ToArray());
    }

    [Fact]
    public void HugeShapeWithTinyDataIsInvalidRequestWithoutAHugeBuffer()
    {
        // 1e9 FP32 elements: the decoder asks the pool for 2147483644 bytes, over Array.MaxLength, so this
        // fails fast with OutOfMemoryException without allocating; a shape of 1e8 would allocate 400 MB.
        var e = Assert.Throws<InferenceException>(() => TestBody.Json(Request(Input("x", "FP32", "[1000000000]", "[1]"))).Read(pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        Assert.Contains("needs 1000000000 elements", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedDataKeyLosesNoPooledBuffer()
    {
        var probe = new PoolProbe();
        var json = Request("""{"name":"x","datatype":"INT32","shape":[1],"data":[61],"data":[62]}""");
        try
        {
            TestBody.Json(json).Read(probe.Pool).Dispose();
        }
        catch (InferenceException e)
        {
            // Rejecting a repeated key is as good as last-one-wins, as long as nothing is lost.
            Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        }

        probe.AssertAllReturned();
    }

    [Theory]
    [InlineData("""{"inputs":[{"parameters":{"binary_data_size":-1},"name":"x","datatype":"INT32","shape":[1]}]}""")]
    [InlineData("""{"inputs":[{"parameters":{"p":[]},"name":"x","datatype":"INT32","shape":[1],"data":[1]}]}""")]
    [InlineData("""{"inputs":[],"outputs":[{"parameters":{"binary_data":"yes"},"name":"x"}]}""")]
    public void ParametersBeforeNameStillNameTheTensor(string json)
    {
        var e = Assert.Throws<InferenceException>(() => TestBody.Json(json).Read(pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bf16OverflowIsRejectedLikeFp16()
    {
        var e = Assert.Throws<InferenceException>(() => TestBody.Json(Request(Input("x", "BF16", "[1]", "[3.4e38]"))).Read(pool));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
    }

    [Fact]
    public void Bf16LargestFiniteValueIsAccepted()
    {
        // 0x7F7F is bf16's largest finite value, 3.3895313892515355e38; it must not turn into infinity.
        using var request = TestBody.Json(Request(Input("x", "BF16", "[1]", "[3.3895313892515355e38]"))).Read(pool);

        Assert.Equal(TestBody.Bytes<ushort>(0x7F7F), Assert.Single(request.Inputs).DataSpan.ToArray());
    }

    private static string Request(params string[] inputs) => "{\"inputs\":[" + string.Join(",", inputs) + "]}";

    private static string Input(string name, string datatype, string shape, string data) =>
        $$"""{"name":"{{name}}","datatype":"{{datatype}}","shape":{{shape}},"data":{{data}}}""";

    private static string Binary(string name, string datatype, string shape, int size) =>
        $$"""{"name":"{{name}}","datatype":"{{datatype}}","shape":{{shape}},"parameters":{"binary_data_size":{{size}}""" + "}}";
}
