using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

/// <summary>Tiny models for the scheduling tests, written with the repo's own ONNX writer.</summary>
internal static class SchedulingModels
{
    /// <summary>OUT = IN, [b, c] of <paramref name="type"/>.</summary>
    public static byte[] Identity(TensorElementType type) =>
        new OnnxGraphBuilder("identity")
            .Input("IN", type, "b", "c")
            .Output("OUT", type, "b", "c")
            .Node("Identity", ["IN"], ["OUT"])
            .Build();

    /// <summary>Two inputs of different types, each passed through: A FP32 [b, 2] to OA, B INT64 [b] to OB.</summary>
    public static byte[] Pair() =>
        new OnnxGraphBuilder("pair")
            .Input("A", TensorElementType.Float, "b", 2)
            .Input("B", TensorElementType.Int64, "b")
            .Output("OA", TensorElementType.Float, "b", 2)
            .Output("OB", TensorElementType.Int64, "b")
            .Node("Identity", ["A"], ["OA"])
            .Node("Identity", ["B"], ["OB"])
            .Build();

    /// <summary>An FP32 MLP, [b, 8] to [b, 4]: MatMul, Add, Relu, MatMul, Add, with fixed pseudo-random weights.</summary>
    public static byte[] Mlp()
    {
        var random = new Random(1234);
        float[] Weights(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return new OnnxGraphBuilder("mlp")
            .Input("X", TensorElementType.Float, "b", 8)
            .Output("Y", TensorElementType.Float, "b", 4)
            .Initializer("W1", TensorElementType.Float, [8, 16], Weights(8 * 16))
            .Initializer("B1", TensorElementType.Float, [16], Weights(16))
            .Initializer("W2", TensorElementType.Float, [16, 4], Weights(16 * 4))
            .Initializer("B2", TensorElementType.Float, [4], Weights(4))
            .Node("MatMul", ["X", "W1"], ["h1"])
            .Node("Add", ["h1", "B1"], ["h2"])
            .Node("Relu", ["h2"], ["h3"])
            .Node("MatMul", ["h3", "W2"], ["h4"])
            .Node("Add", ["h4", "B2"], ["Y"])
            .Build();
    }

    /// <summary>
    /// OUT = IN (FP32 [b, 2]) after <paramref name="nodes"/> multiplications of a [size, size] matrix
    /// that depends on the input (so nothing is folded at load): as slow as asked, and ORT checks
    /// the terminate flag between the nodes.
    /// </summary>
    public static byte[] Slow(int nodes, int size)
    {
        var identity = new float[size * size];
        for (var i = 0; i < size; i++)
        {
            identity[(i * size) + i] = 1f;
        }

        var builder = new OnnxGraphBuilder("slow")
            .Input("IN", TensorElementType.Float, "b", 2)
            .Output("OUT", TensorElementType.Float, "b", 2)
            .Initializer("I", TensorElementType.Float, [size, size], identity)
            .Initializer("zero", TensorElementType.Float, [1], [0f])
            .Node("ReduceSum", ["IN"], ["s"], OnnxAttribute.Of("keepdims", 0L))
            .Node("Mul", ["s", "zero"], ["s0"])
            .Node("Add", ["I", "s0"], ["m0"]);
        for (var n = 0; n < nodes; n++)
        {
            builder.Node("MatMul", [$"m{n}", "I"], [$"m{n + 1}"]);
        }

        return builder
            .Node("ReduceSum", [$"m{nodes}"], ["t"], OnnxAttribute.Of("keepdims", 0L))
            .Node("Mul", ["t", "zero"], ["t0"])
            .Node("Add", ["IN", "t0"], ["OUT"])
            .Build();
    }

    /// <summary>OUT = [10, 20, 30][IN], IN INT64 [b]: an index out of range fails the run inside ORT.</summary>
    public static byte[] Lookup() =>
        new OnnxGraphBuilder("lookup")
            .Input("IN", TensorElementType.Int64, "b")
            .Initializer("table", TensorElementType.Float, [3], new[] { 10f, 20f, 30f })
            .Output("OUT", TensorElementType.Float, "b")
            .Node("Gather", ["table", "IN"], ["OUT"])
            .Build();

    /// <summary>OUT = IN (FP32 [b, 2]) and TOTAL, a scalar with no batch dimension.</summary>
    public static byte[] WithScalarOutput() =>
        new OnnxGraphBuilder("scalar_out")
            .Input("IN", TensorElementType.Float, "b", 2)
            .Output("OUT", TensorElementType.Float, "b", 2)
            .Output("TOTAL", TensorElementType.Float)
            .Node("Identity", ["IN"], ["OUT"])
            .Node("ReduceSum", ["IN"], ["TOTAL"], OnnxAttribute.Of("keepdims", 0L))
            .Build();

    /// <summary>IN FP32 [b, 2] flattened to FLAT [n]: declared dynamic, but its first dimension is 2b, not the batch's rows.</summary>
    public static byte[] Flatten() =>
        new OnnxGraphBuilder("flatten")
            .Input("IN", TensorElementType.Float, "b", 2)
            .Initializer<long>("shape", TensorElementType.Int64, [1], [-1])
            .Output("FLAT", TensorElementType.Float, "n")
            .Node("Reshape", ["IN", "shape"], ["FLAT"])
            .Build();

    /// <summary>A fixed first dimension: IN FP32 [4, 2].</summary>
    public static byte[] FixedBatch() =>
        new OnnxGraphBuilder("fixed")
            .Input("IN", TensorElementType.Float, 4, 2)
            .Output("OUT", TensorElementType.Float, 4, 2)
            .Node("Identity", ["IN"], ["OUT"])
            .Build();
}
