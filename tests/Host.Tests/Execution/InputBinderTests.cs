using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Buffers;
using Inference.Host.Tests.Protocol.Oip;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Execution;

public sealed class InputBinderTests
{
    private const string A = """{"name":"A","datatype":"FP32","shape":[1,16],"data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}""";
    private const string B = """{"name":"B","datatype":"INT64","shape":[2],"data":[-1,9000000000]}""";
    private const string S = """{"name":"S","datatype":"BYTES","shape":[2],"data":["x","yz"]}""";

    /// <summary>
    /// Inputs A: FP32 [n,16], B: INT64 [m], S: BYTES [2]; outputs OA, OB, OS are their identities.
    /// </summary>
    private static readonly Lazy<OnnxModel> Model = new(() =>
    {
        var onnx = new OnnxGraphBuilder("binder")
            .Input("A", TensorElementType.Float, "n", 16)
            .Input("B", TensorElementType.Int64, "m")
            .Input("S", TensorElementType.String, 2)
            .Output("OA", TensorElementType.Float, "n", 16)
            .Output("OB", TensorElementType.Int64, "m")
            .Output("OS", TensorElementType.String, 2)
            .Node("Identity", ["A"], ["OA"])
            .Node("Identity", ["B"], ["OB"])
            .Node("Identity", ["S"], ["OS"])
            .Build();
        return new OnnxModel("binder", 1, OrtTestEnvironment.CreateSession(onnx), new ModelStatistics(TimeProvider.System));
    });

    private readonly PinnedBufferPool pool = new();

    [Fact]
    public void TheModelHasTheExpectedSignature()
    {
        var model = Model.Value;

        Assert.Equal(new[] { "A", "B", "S" }, model.Inputs.Select(i => i.Name).ToArray());
        Assert.Equal(new long[] { -1, 16 }, model.Inputs[0].Shape);
        Assert.Equal(new long[] { -1 }, model.Inputs[1].Shape);
        Assert.Equal(new long[] { 2 }, model.Inputs[2].Shape);
        Assert.Equal(new[] { "OA", "OB", "OS" }, model.Outputs.Select(o => o.Name).ToArray());
    }

    [Fact]
    public unsafe void ValidRequestBindsInPlaceInTheModelsInputOrder()
    {
        var binaryB = TestBody.Bytes(-1L, 9000000000L);
        var json = Request(S, """{"name":"B","datatype":"INT64","shape":[2],"parameters":{"binary_data_size":16}}""", A);
        var body = TestBody.CreateAligned(json, alignment: 64, misalignment: 0, binaryB);
        using var request = body.Read(pool);

        using var bound = InputBinder.Bind(Model.Value, request);

        Assert.Equal(new[] { 2, 1, 0 }, bound.InputIndices);
        Assert.Equal(3, bound.Values.Length);

        // A was decoded from JSON into a pooled pinned buffer; ORT reads that buffer.
        var a = request.Inputs[2];
        Assert.Equal((nint)Unsafe.AsPointer(ref a.Data![a.DataOffset]), (nint)bound.Values[2].DataPointer);
        Assert.Equal(new long[] { 1, 16 }, bound.Values[2].Shape);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), bound.Values[2].GetData<float>().ToArray());

        // B was sent as binary; ORT reads it where it lies in the body.
        Assert.Equal((nint)Unsafe.AsPointer(ref body.Array[body.BinaryStart]), (nint)bound.Values[1].DataPointer);
        Assert.Equal(new[] { -1L, 9000000000L }, bound.Values[1].GetData<long>().ToArray());

        var strings = bound.Values[0].GetStringContent();
        Assert.Equal(TensorElementType.String, bound.Values[0].ElementType);
        Assert.Equal("x"u8.ToArray(), strings[0].ToArray());
        Assert.Equal("yz"u8.ToArray(), strings[1].ToArray());

        Assert.Equal(new[] { 0, 1, 2 }, bound.OutputIndices);
        Assert.Equal(new[] { false, false, false }, bound.BinaryOutputs);
    }

    [Fact]
    public void BoundValuesRunTheModel()
    {
        using var request = TestBody.Json(Request(A, B, S)).Read(pool);
        using var bound = InputBinder.Bind(Model.Value, request);
        var results = new OrtValue?[bound.OutputIndices.Length];

        Model.Value.Session.Run(bound.InputIndices, bound.Values, bound.OutputIndices, results);
        try
        {
            Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), results[0]!.GetData<float>().ToArray());
            Assert.Equal(new[] { -1L, 9000000000L }, results[1]!.GetData<long>().ToArray());
            Assert.Equal("yz"u8.ToArray(), results[2]!.GetStringContent()[1].ToArray());
        }
        finally
        {
            foreach (var result in results)
            {
                result?.Dispose();
            }
        }
    }

    [Fact]
    public unsafe void MisalignedBinaryInputIsCopiedToAlignedMemory()
    {
        var binaryB = TestBody.Bytes(long.MinValue, 42L);
        var json = Request(A, S, """{"name":"B","datatype":"INT64","shape":[2],"parameters":{"binary_data_size":16}}""");
        var body = TestBody.CreateAligned(json, alignment: 8, misalignment: 4, binaryB);
        using var request = body.Read(pool);
        var inBody = (nint)Unsafe.AsPointer(ref body.Array[body.BinaryStart]);
        Assert.Equal(4, inBody % 8);

        using var bound = InputBinder.Bind(Model.Value, request);

        var pointer = (nint)bound.Values[2].DataPointer;
        Assert.NotEqual(inBody, pointer);
        Assert.Equal(0, pointer % 8);
        Assert.Equal(new[] { long.MinValue, 42L }, bound.Values[2].GetData<long>().ToArray());
    }

    [Fact]
    public void ZeroSizeInputBinds()
    {
        using var request = TestBody.Json(Request(
            """{"name":"A","datatype":"FP32","shape":[0,16],"data":[]}""",
            """{"name":"B","datatype":"INT64","shape":[0],"data":[]}""",
            S)).Read(pool);

        using var bound = InputBinder.Bind(Model.Value, request);

        Assert.Equal(new long[] { 0, 16 }, bound.Values[0].Shape);
        Assert.Equal(0, bound.Values[1].ElementCount);
    }

    public static TheoryData<string, string[]> Mismatches => new()
    {
        { Request(A, B, S, """{"name":"C","datatype":"FP32","shape":[1],"data":[1]}"""), ["no input named 'C'", "'binder'", "A, B, S"] },
        { Request(A, S), ["'B'", "INT64", "[-1]", "does not give it"] },
        { Request(B, S), ["'A'", "FP32", "[-1,16]"] },
        { Request(A, B, S, A), ["'A'", "more than once"] },
        { Request(A.Replace("FP32", "FP64", StringComparison.Ordinal), B, S), ["'A'", "FP64", "expects FP32"] },
        { Request(A, B, """{"name":"S","datatype":"UINT8","shape":[2],"data":[1,2]}"""), ["'S'", "UINT8", "expects BYTES"] },
        { Request(A, """{"name":"B","datatype":"BYTES","shape":[2],"data":["1","2"]}""", S), ["'B'", "BYTES", "expects INT64"] },
        { Request(A.Replace("[1,16]", "[16]", StringComparison.Ordinal), B, S), ["'A'", "[16]", "[-1,16]"] },
        { Request(A.Replace("[1,16]", "[1,1,16]", StringComparison.Ordinal), B, S), ["'A'", "[1,1,16]", "[-1,16]"] },
        { Request(A.Replace("[1,16]", "[2,8]", StringComparison.Ordinal), B, S), ["'A'", "[2,8]", "[-1,16]"] },
        { Request("""{"name":"A","datatype":"FP32","shape":[1,15],"data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14]}""", B, S), ["'A'", "[1,15]", "[-1,16]"] },
        { Request(A, B, """{"name":"S","datatype":"BYTES","shape":[3],"data":["a","b","c"]}"""), ["'S'", "[3]", "[2]"] },
        { Request(A, B, """{"name":"S","datatype":"BYTES","shape":[],"data":"a"}"""), ["'S'", "[]", "[2]"] },
        { Request(A, """{"name":"B","datatype":"INT64","shape":[],"data":1}""", S), ["'B'", "[]", "[-1]"] },
        { WithOutputs(Request(A, B, S), """{"name":"OX"}"""), ["no output named 'OX'", "OA, OB, OS"] },
        { WithOutputs(Request(A, B, S), """{"name":"OA"}""", """{"name":"A"}"""), ["'A'", "OA, OB, OS"] },
        { WithOutputs(Request(A, B, S), """{"name":"OB"}""", """{"name":"OA"}""", """{"name":"OB"}"""), ["'OB'", "more than once"] },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void MismatchIsInvalidRequestNamingWhatTheModelExpects(string json, string[] fragments)
    {
        using var request = TestBody.Json(json).Read(pool);

        var e = Assert.Throws<InferenceException>(() => InputBinder.Bind(Model.Value, request));

        Assert.Equal(ErrorKind.InvalidRequest, e.Error.Kind);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, e.Error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false, new[] { false, false, false })]
    [InlineData(true, new[] { true, true, true })]
    public void WithoutRequestedOutputsAllOutputsFollowTheRequestFlag(bool binaryDataOutput, bool[] expected)
    {
        var flag = binaryDataOutput ? "true" : "false";
        var json = Request(A, B, S)[..^1] + ",\"parameters\":{\"binary_data_output\":" + flag + "}}";
        using var request = TestBody.Json(json).Read(pool);

        using var bound = InputBinder.Bind(Model.Value, request);

        Assert.Equal(new[] { 0, 1, 2 }, bound.OutputIndices);
        Assert.Equal(expected, bound.BinaryOutputs);
    }

    [Fact]
    public void PerOutputBinaryOverridesTheRequestFlagOn()
    {
        var json = WithOutputs(Request(A, B, S), """{"name":"OS"}""", """{"name":"OA","parameters":{"binary_data":true}}""");
        using var request = TestBody.Json(json).Read(pool);

        using var bound = InputBinder.Bind(Model.Value, request);

        Assert.Equal(new[] { 2, 0 }, bound.OutputIndices);
        Assert.Equal(new[] { false, true }, bound.BinaryOutputs);
    }

    [Fact]
    public void PerOutputBinaryOverridesTheRequestFlagOff()
    {
        var json = Request(A, B, S)[..^1]
            + ""","parameters":{"binary_data_output":true},"outputs":[{"name":"OB"},{"name":"OS","parameters":{"binary_data":false}},{"name":"OA","parameters":{"binary_data":true}}]}""";
        using var request = TestBody.Json(json).Read(pool);

        using var bound = InputBinder.Bind(Model.Value, request);

        Assert.Equal(new[] { 1, 2, 0 }, bound.OutputIndices);
        Assert.Equal(new[] { true, false, true }, bound.BinaryOutputs);
    }

    [Fact]
    public void DisposingBoundInputsLeavesTheRequestsBuffersAlone()
    {
        // Disposing the bound values does not return the request's buffers: the request still owns them.
        var probe = new PoolProbe(count: 1);
        using var request = TestBody.Json(Request(
            """{"name":"A","datatype":"FP32","shape":[1,16],"data":[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7]}""", B, S)).Read(probe.Pool);
        var a = request.Inputs[0];

        InputBinder.Bind(Model.Value, request).Dispose();

        Assert.Equal(Enumerable.Repeat(7f, 16).ToArray(), MemoryMarshal.Cast<byte, float>(a.DataSpan).ToArray());
        Assert.NotSame(a.Data, probe.Pool.Rent(PoolProbe.Size));
    }

    private static string Request(params string[] inputs) => "{\"inputs\":[" + string.Join(",", inputs) + "]}";

    private static string WithOutputs(string request, params string[] outputs) => request[..^1] + ",\"outputs\":[" + string.Join(",", outputs) + "]}";
}
