using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

public sealed class SmokeTests
{
    [Fact]
    public void AddModelRuns()
    {
        var model = new OnnxGraphBuilder("add")
            .Input("a", TensorElementType.Float, "batch", 3)
            .Input("b", TensorElementType.Float, "batch", 3)
            .Output("c", TensorElementType.Float, "batch", 3)
            .Node("Add", ["a", "b"], ["c"])
            .Build();
        using var session = InferenceSession.Create(OrtFixture.Environment, model);
        Assert.Equal(new long[] { -1, 3 }, session.Inputs[0].Shape);
        Assert.Equal("batch", session.Inputs[0].SymbolicDimensions[0]);
        using var a = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[] { 1, 2, 3, 4, 5, 6 });
        using var b = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[] { 10, 20, 30, 40, 50, 60 });
        var outputs = session.Run(new Dictionary<string, OrtValue> { ["a"] = a, ["b"] = b });
        using var c = outputs[0];
        Assert.Equal(new float[] { 11, 22, 33, 44, 55, 66 }, c.GetData<float>().ToArray());
        Assert.Equal(new long[] { 2, 3 }, c.Shape);
    }
}
