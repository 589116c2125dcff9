using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Protocol.Oip;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;

namespace Inference.Host.Tests.Execution;

/// <summary>
/// The binder's results come from a pool and keep their arrays for the next request of the same
/// counts: nothing of one request may show in the next. Each test has a pool of its own.
/// </summary>
public sealed class BoundInputsPoolingTests
{
    private static readonly Lazy<OnnxModel> Simple = new(() =>
        new OnnxModel("simple", 1, OrtTestEnvironment.CreateSession(SampleModels.Simple()), new ModelStatistics(TimeProvider.System)));

    private readonly PinnedBufferPool pool = new();

    [Fact]
    public void ReusedBoundInputsKeepTheirArraysAndHoldOnlyTheNewValues()
    {
        var reuse = BoundInputs.NewPool(1);
        using var firstRequest = Request(0f, "OUTPUT1", "OUTPUT0");
        var first = InputBinder.Bind(Simple.Value, firstRequest, reuse);
        var arrays = (first.InputIndices, first.Values, first.OutputIndices, first.BinaryOutputs);
        Assert.Equal(new[] { 1, 0 }, first.OutputIndices);
        first.Dispose();

        // Disposed, a pooled instance lets go of its ORT values.
        Assert.All(first.Values, v => Assert.Null(v));

        using var secondRequest = Request(5f, "OUTPUT0", "OUTPUT1");
        using var second = InputBinder.Bind(Simple.Value, secondRequest, reuse);

        Assert.Same(first, second);
        Assert.Same(arrays.InputIndices, second.InputIndices);
        Assert.Same(arrays.Values, second.Values);
        Assert.Same(arrays.OutputIndices, second.OutputIndices);
        Assert.Same(arrays.BinaryOutputs, second.BinaryOutputs);
        Assert.Equal(new[] { 0, 1 }, second.OutputIndices);
        Assert.Equal(new[] { true, false }, second.BinaryOutputs);
        Assert.Equal(Enumerable.Repeat(5f, 16).ToArray(), second.Values[0].GetData<float>().ToArray());
        Assert.Equal(1, reuse.Created);
    }

    [Fact]
    public void OtherCountsGetArraysOfTheirOwnLength()
    {
        var reuse = BoundInputs.NewPool(1);
        using (var all = Request(1f))
        {
            InputBinder.Bind(Simple.Value, all, reuse).Dispose();
        }

        using var one = Request(1f, "OUTPUT1");
        using var bound = InputBinder.Bind(Simple.Value, one, reuse);

        Assert.Equal(new[] { 1 }, bound.OutputIndices);
        Assert.Single(bound.BinaryOutputs);
        Assert.Equal(2, bound.Values.Length);
    }

    [Fact]
    public void AFailedBindGivesItBackWithNoValueLeftOpen()
    {
        var reuse = BoundInputs.NewPool(1);
        using var wrong = Request(1f, "OUTPUT0", "NOPE");

        var e = Assert.Throws<InferenceException>(() => InputBinder.Bind(Simple.Value, wrong, reuse));
        Assert.Contains("NOPE", e.Message, StringComparison.Ordinal);

        using var right = Request(1f);
        using var bound = InputBinder.Bind(Simple.Value, right, reuse);
        Assert.Equal(1, reuse.Created);
        Assert.Equal(new[] { 0, 1 }, bound.OutputIndices);
    }

    [Fact]
    public void DisposingTwiceReturnsOnce()
    {
        var reuse = BoundInputs.NewPool(2);
        using var request = Request(1f);
        var bound = InputBinder.Bind(Simple.Value, request, reuse);

        bound.Dispose();
        bound.Dispose();

        using var a = InputBinder.Bind(Simple.Value, request, reuse);
        using var b = InputBinder.Bind(Simple.Value, request, reuse);
        Assert.NotSame(a, b);
    }

    [Fact]
    public void ConstructedBoundInputsAreNotPooledAndKeepTheirArrays()
    {
        var value = OrtValue.CreateTensor<float>(Onnx.Tensors.TensorElementType.Float, [1], new float[1]);
        var values = new[] { value };
        var bound = new BoundInputs([0], values, [0], [false]);

        bound.Dispose();
        bound.Dispose();

        Assert.Same(value, bound.Values[0]);
        Assert.Throws<ObjectDisposedException>(() => value.SizeInBytes);
    }

    /// <summary>simple's two inputs as binary (INPUT0 all <paramref name="fill"/>, INPUT1 all 1), the named outputs binary first.</summary>
    private InferRequest Request(float fill, params string[] outputs)
    {
        var named = outputs.Select((o, i) => "{\"name\":\"" + o + "\",\"parameters\":{\"binary_data\":" + (i == 0 ? "true" : "false") + "}}");
        var outputJson = outputs.Length == 0 ? "" : ",\"outputs\":[" + string.Join(",", named) + "]";
        var inputs = """{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}},{"name":"INPUT1","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}}]""";
        var json = inputs + outputJson + "}";
        var body = TestBody.CreateAligned(json, 64, 0, TestBody.Bytes(Enumerable.Repeat(fill, 16).ToArray()), TestBody.Bytes(Enumerable.Repeat(1f, 16).ToArray()));
        return body.Read(pool);
    }
}
