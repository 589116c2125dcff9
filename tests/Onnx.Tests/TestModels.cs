using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests;

/// <summary>Small models and helpers shared by the tests. Sessions run single-threaded unless a test says otherwise.</summary>
internal static class TestModels
{
    public static OnnxSessionOptions SingleThreaded { get; } = new() { IntraOpThreads = 1 };

    public static InferenceSession Open(byte[] model, OnnxSessionOptions? options = null) =>
        InferenceSession.Create(OrtFixture.Environment, model, options ?? SingleThreaded);

    /// <summary>y = Identity(x), both of <paramref name="type"/> and <paramref name="shape"/>.</summary>
    public static byte[] Identity(TensorElementType type, params OnnxDimension[] shape) =>
        new OnnxGraphBuilder("identity")
            .Input("x", type, shape)
            .Output("y", type, shape)
            .Node("Identity", ["x"], ["y"])
            .Build(opset: 17);

    /// <summary>c = op(a, b) with a, b, c of shape ["batch", 3].</summary>
    public static byte[] Binary(string op, TensorElementType type) =>
        new OnnxGraphBuilder(op.ToLowerInvariant())
            .Input("a", type, "batch", 3)
            .Input("b", type, "batch", 3)
            .Output("c", type, "batch", 3)
            .Node(op, ["a", "b"], ["c"])
            .Build(opset: 17);

    /// <summary>Runs with the given inputs and returns the first output (the others are disposed).</summary>
    public static OrtValue RunSingle(InferenceSession session, params (string Name, OrtValue Value)[] inputs)
    {
        var outputs = session.Run(inputs.ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal));
        for (var i = 1; i < outputs.Length; i++)
        {
            outputs[i].Dispose();
        }

        return outputs[0];
    }

    public static OrtValue Strings(long[] shape, IEnumerable<byte[]> elements) =>
        OrtValue.CreateStringTensor(shape, elements.Select(e => (ReadOnlyMemory<byte>)e).ToArray());

    public static byte[][] ToArrays(StringTensorContent content) =>
        Enumerable.Range(0, content.Count).Select(i => content[i].ToArray()).ToArray();

    public static long[] ParseShape(string text) =>
        text.Length == 0 ? [] : text.Split(',').Select(long.Parse).ToArray();

    public static long ElementCount(long[] shape) => shape.Aggregate(1L, (count, dim) => count * dim);
}
