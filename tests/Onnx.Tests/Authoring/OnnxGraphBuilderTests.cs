using System.Runtime.InteropServices;
using Inference.Onnx.Authoring;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Authoring;

/// <summary>The builder's bytes are checked by what ONNX Runtime makes of them: names, types, shapes, attributes, values.</summary>
public sealed class OnnxGraphBuilderTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public OnnxGraphBuilderTests() => _ = OrtFixture.Environment;

    [Fact]
    public void DeclaredInputsAndOutputsAreWhatTheSessionReports()
    {
        var model = new OnnxGraphBuilder("io")
            .Input("tokens", TensorElementType.Int64, "batch", "sequence")
            .Input("mask", TensorElementType.Bool, "batch", 16)
            .Output("same_tokens", TensorElementType.Int64, "batch", "sequence")
            .Output("same_mask", TensorElementType.Bool, "batch", 16)
            .Node("Identity", ["tokens"], ["same_tokens"])
            .Node("Identity", ["mask"], ["same_mask"])
            .Build();
        using var session = TestModels.Open(model);

        Assert.Equal(["tokens", "mask"], session.Inputs.Select(i => i.Name));
        Assert.Equal(["same_tokens", "same_mask"], session.Outputs.Select(o => o.Name));
        Assert.Equal(TensorElementType.Int64, session.Inputs[0].ElementType);
        Assert.Equal(TensorElementType.Bool, session.Inputs[1].ElementType);
        Assert.Equal([-1L, -1L], session.Inputs[0].Shape);
        Assert.Equal(["batch", "sequence"], session.Inputs[0].SymbolicDimensions);
        Assert.Equal([-1L, 16L], session.Outputs[1].Shape);
        Assert.Equal(["batch", ""], session.Outputs[1].SymbolicDimensions);
    }

    [Fact]
    public void ModelFieldsAndMetadataAreWritten()
    {
        var builder = new OnnxGraphBuilder("graph-name") { DocString = "documentation" }
            .Input("x", TensorElementType.Float, 1)
            .Output("y", TensorElementType.Float, 1)
            .Node("Identity", ["x"], ["y"])
            .Metadata("k", "first")
            .Metadata("k", "second")
            .Metadata("other", "value");
        using var session = TestModels.Open(builder.Build(opset: 17, producer: "the-producer", modelVersion: 1234567890123));

        Assert.Equal("graph-name", session.Metadata.GraphName);
        Assert.Equal("the-producer", session.Metadata.ProducerName);
        Assert.Equal(1234567890123, session.Metadata.Version);
        Assert.Equal("documentation", session.Metadata.Description);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "second", ["other"] = "value" }, session.Metadata.Custom);
    }

    [Fact]
    public void DefaultProducerAndVersion()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Float, 1));

        Assert.Equal("inference-host", session.Metadata.ProducerName);
        Assert.Equal(1, session.Metadata.Version);
        Assert.Equal("identity", session.Metadata.GraphName);
    }

    [Fact]
    public void BuildingTwiceGivesTheSameBytes()
    {
        var builder = new OnnxGraphBuilder("twice")
            .Input("x", TensorElementType.Float, 2)
            .Initializer("w", TensorElementType.Float, [2], new float[] { 1, 2 })
            .Output("y", TensorElementType.Float, 2)
            .Node("Mul", ["x", "w"], ["y"])
            .Metadata("a", "b");

        Assert.Equal(builder.Build(), builder.Build());
    }

    [Fact]
    public void OpsetIsWrittenIntoTheModel()
    {
        // Celu exists from opset 12: an opset 11 model must not find it, an opset 17 model must.
        byte[] Celu(int opset) => new OnnxGraphBuilder("celu")
            .Input("x", TensorElementType.Float, 4)
            .Output("y", TensorElementType.Float, 4)
            .Node("Celu", ["x"], ["y"])
            .Build(opset: opset);

        var e = Assert.Throws<OrtException>(() => TestModels.Open(Celu(11)));
        Assert.Equal(OrtErrorCode.InvalidGraph, e.Code);
        Assert.Contains("domain_version of 11", e.Message, StringComparison.Ordinal);

        float[] x = [-2, -0.5f, 0, 3];
        using var session = TestModels.Open(Celu(17));
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [4], x);
        using var y = TestModels.RunSingle(session, ("x", xv));
        var expected = x.Select(v => Math.Max(0, v) + Math.Min(0, Math.Exp(v) - 1)).ToArray();
        AssertClose(expected, y.GetData<float>(), 1e-6);
    }

    [Fact]
    public void TypedInitializerIsUsedAsAConstantInput()
    {
        int[] bias = [100, -200, 300];
        var model = new OnnxGraphBuilder("bias")
            .Input("x", TensorElementType.Int32, "n", 3)
            .Initializer("bias", TensorElementType.Int32, [3], bias)
            .Output("y", TensorElementType.Int32, "n", 3)
            .Node("Add", ["x", "bias"], ["y"])
            .Build();
        int[] x = [1, 2, 3, 4, 5, 6];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        Assert.Equal(x.Select((v, i) => v + bias[i % 3]), y.GetData<int>().ToArray());
    }

    [Fact]
    public void RawInitializerBytesAreUsedAsIs()
    {
        double[] scale = [0.5, -4];
        var raw = MemoryMarshal.AsBytes(scale.AsSpan()).ToArray();
        var model = new OnnxGraphBuilder("raw")
            .Input("x", TensorElementType.Double, 2)
            .Initializer("scale", TensorElementType.Double, [2], raw)
            .Output("y", TensorElementType.Double, 2)
            .Node("Mul", ["x", "scale"], ["y"])
            .Build();
        double[] x = [3, 0.25];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<double>(TensorElementType.Double, [2], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        Assert.Equal(x.Zip(scale, (a, b) => a * b), y.GetData<double>().ToArray());
    }

    [Fact]
    public void LargeInitializerNeedsMultiByteLengthsAndStillLoads()
    {
        // 100x100 floats = 40,000 bytes: the length prefixes of the tensor, graph and model need three-byte varints.
        const int N = 100;
        var random = new Random(3);
        var w = Enumerable.Range(0, N * N).Select(_ => (float)random.Next(-8, 8)).ToArray();
        var model = new OnnxGraphBuilder("large")
            .Input("x", TensorElementType.Float, 1, N)
            .Initializer("w", TensorElementType.Float, [N, N], w)
            .Output("y", TensorElementType.Float, 1, N)
            .Node("MatMul", ["x", "w"], ["y"])
            .Build();
        var x = Enumerable.Range(0, N).Select(i => (float)(i % 5 - 2)).ToArray();
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, N], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        // Small integers: every partial sum is exact in float, so the product must match exactly.
        var expected = Enumerable.Range(0, N).Select(c => Enumerable.Range(0, N).Sum(k => x[k] * w[k * N + c])).ToArray();
        Assert.Equal(expected, y.GetData<float>().ToArray());
    }

    [Fact]
    public void IntAttributeIsWrittenIncludingNegativeValues()
    {
        // Concat along axis -1 (a negative int64 is a ten-byte varint).
        var model = new OnnxGraphBuilder("concat")
            .Input("a", TensorElementType.Int32, 2, 2)
            .Input("b", TensorElementType.Int32, 2, 1)
            .Output("c", TensorElementType.Int32, 2, 3)
            .Node("Concat", ["a", "b"], ["c"], OnnxAttribute.Of("axis", -1L))
            .Build();
        int[] a = [1, 2, 3, 4];
        int[] b = [9, 8];
        using var session = TestModels.Open(model);
        using var av = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 2], a);
        using var bv = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 1], b);
        using var c = TestModels.RunSingle(session, ("a", av), ("b", bv));

        Assert.Equal([2L, 3L], c.Shape);
        Assert.Equal(new[] { a[0], a[1], b[0], a[2], a[3], b[1] }, c.GetData<int>().ToArray());
    }

    [Fact]
    public void IntsAttributeIsWritten()
    {
        var model = new OnnxGraphBuilder("transpose")
            .Input("x", TensorElementType.Float, 2, 3)
            .Output("y", TensorElementType.Float, 3, 2)
            .Node("Transpose", ["x"], ["y"], OnnxAttribute.Of("perm", 1L, 0L))
            .Build();
        float[] x = [1, 2, 3, 4, 5, 6];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        var expected = new float[6];
        for (var r = 0; r < 2; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                expected[c * 2 + r] = x[r * 3 + c];
            }
        }

        Assert.Equal([3L, 2L], y.Shape);
        Assert.Equal(expected, y.GetData<float>().ToArray());
    }

    [Fact]
    public void FloatAttributeIsWritten()
    {
        const float Alpha = 0.25f;
        var model = new OnnxGraphBuilder("leaky")
            .Input("x", TensorElementType.Float, 5)
            .Output("y", TensorElementType.Float, 5)
            .Node("LeakyRelu", ["x"], ["y"], OnnxAttribute.Of("alpha", Alpha))
            .Build();
        float[] x = [-8, -1, 0, 2, 100];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [5], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        Assert.Equal(x.Select(v => v < 0 ? Alpha * v : v), y.GetData<float>().ToArray());
    }

    [Fact]
    public void StringAttributeIsWritten()
    {
        // Pad (opset 17) in "reflect" mode, pads as an int64 initializer: one column each side of axis 1.
        var model = new OnnxGraphBuilder("pad")
            .Input("x", TensorElementType.Float, 2, 3)
            .Initializer("pads", TensorElementType.Int64, [4], new long[] { 0, 1, 0, 1 })
            .Output("y", TensorElementType.Float, 2, 5)
            .Node("Pad", ["x", "pads"], ["y"], OnnxAttribute.Of("mode", "reflect"))
            .Build();
        float[] x = [1, 2, 3, 4, 5, 6];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        var expected = new List<float>();
        for (var r = 0; r < 2; r++)
        {
            var row = x.AsSpan(r * 3, 3);
            expected.AddRange([row[1], row[0], row[1], row[2], row[1]]);
        }

        Assert.Equal([2L, 5L], y.Shape);
        Assert.Equal(expected, y.GetData<float>().ToArray());
    }

    [Fact]
    public void TensorAttributeIsWritten()
    {
        long[] constant = [7, -7, long.MaxValue];
        var model = new OnnxGraphBuilder("constant-tensor")
            .Input("x", TensorElementType.Int64, 3)
            .Output("y", TensorElementType.Int64, 3)
            .Node("Constant", [], ["c"], new OnnxAttribute("value") { Tensor = (TensorElementType.Int64, [3], MemoryMarshal.AsBytes(constant.AsSpan()).ToArray()) })
            .Node("Sub", ["x", "c"], ["y"])
            .Build();
        long[] x = [10, 10, long.MaxValue];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<long>(TensorElementType.Int64, [3], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        Assert.Equal(x.Zip(constant, (a, b) => a - b), y.GetData<long>().ToArray());
    }

    [Fact]
    public void FloatsAttributeIsWritten()
    {
        float[] constant = [0.5f, -1.5f, 1e-3f];
        var model = new OnnxGraphBuilder("constant-floats")
            .Input("x", TensorElementType.Float, 3)
            .Output("y", TensorElementType.Float, 3)
            .Node("Constant", [], ["c"], new OnnxAttribute("value_floats") { Floats = constant })
            .Node("Add", ["x", "c"], ["y"])
            .Build();
        float[] x = [1, 2, 3];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [3], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        Assert.Equal(x.Zip(constant, (a, b) => a + b), y.GetData<float>().ToArray());
    }

    [Fact]
    public void AttributeWithoutAValueIsRejectedAtBuild()
    {
        var builder = new OnnxGraphBuilder("bad")
            .Input("x", TensorElementType.Float, 1)
            .Output("y", TensorElementType.Float, 1)
            .Node("LeakyRelu", ["x"], ["y"], new OnnxAttribute("alpha"));

        var e = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.Contains("alpha", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChainedNodesOfOneOpTypeGetDistinctNamesAndRun()
    {
        // Three nodes of one op type in a chain, each feeding the next.
        var model = new OnnxGraphBuilder("chain")
            .Input("x", TensorElementType.Int64, 2)
            .Output("y", TensorElementType.Int64, 2)
            .Node("Add", ["x", "x"], ["t0"])
            .Node("Add", ["t0", "x"], ["t1"])
            .Node("Add", ["t1", "t1"], ["y"])
            .Build();
        long[] x = [5, -11];
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<long>(TensorElementType.Int64, [2], x);
        using var y = TestModels.RunSingle(session, ("x", xv));

        Assert.Equal(x.Select(v => (v + v + v) * 2), y.GetData<long>().ToArray());
    }

    [Fact]
    public void NonAsciiNamesSurvive()
    {
        var model = new OnnxGraphBuilder("граф")
            .Input("入力", TensorElementType.Float, 1)
            .Output("sortie_é", TensorElementType.Float, 1)
            .Node("Identity", ["入力"], ["sortie_é"])
            .Build();
        using var session = TestModels.Open(model);
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [1], new float[] { 2.5f });
        using var y = TestModels.RunSingle(session, ("入力", xv));

        Assert.Equal("граф", session.Metadata.GraphName);
        Assert.Equal("入力", session.Inputs[0].Name);
        Assert.Equal("sortie_é", session.Outputs[0].Name);
        Assert.Equal(2.5f, y.GetData<float>()[0]);
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], tolerance);
        }
    }
}
