using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

public sealed class OrtRunOptionsTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public OrtRunOptionsTests() => _ = OrtFixture.Environment;

    [Fact]
    public void NewOptionsAreNotTerminated()
    {
        using var options = new OrtRunOptions();

        Assert.False(options.IsTerminated);
    }

    [Fact]
    public void TerminatedOptionsCancelTheRunAndResetMakesThemUsableAgain()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Int32));
        int[] a = [1, 2, 3, 4, 5, 6];
        int[] b = [10, 20, 30, 40, 50, 60];
        using var av = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], a);
        using var bv = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], b);
        using var options = new OrtRunOptions();

        options.Terminate();
        Assert.True(options.IsTerminated);
        Assert.Throws<OperationCanceledException>(() => session.Run([0, 1], [av, bv], [0], new OrtValue?[1], options));

        options.Reset();
        Assert.False(options.IsTerminated);
        var outputs = new OrtValue?[1];
        session.Run([0, 1], [av, bv], [0], outputs, options);
        using var c = Assert.IsType<OrtValue>(outputs[0]);
        Assert.Equal(a.Zip(b, (x, y) => x + y), c.GetData<int>().ToArray());
    }

    [Fact]
    public void TerminateAndResetCanAlternateManyTimes()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Int64, 1));
        using var options = new OrtRunOptions();
        for (var i = 0; i < 5; i++)
        {
            using var x = OrtValue.CreateTensor<long>(TensorElementType.Int64, [1], new long[] { i });
            options.Terminate();
            Assert.Throws<OperationCanceledException>(() => session.Run([0], [x], [0], new OrtValue?[1], options));
            options.Reset();
            var outputs = new OrtValue?[1];
            session.Run([0], [x], [0], outputs, options);
            using var y = Assert.IsType<OrtValue>(outputs[0]);
            Assert.Equal(i, y.GetData<long>()[0]);
        }
    }

    [Fact]
    public void TerminatedOptionsCancelARunWithBinding()
    {
        using var session = TestModels.Open(TestModels.Binary("Mul", TensorElementType.Double));
        double[] a = [1.5, -2, 3];
        using var av = OrtValue.CreateTensor<double>(TensorElementType.Double, [1, 3], a);
        using var binding = session.CreateIoBinding();
        binding.BindInput(0, av);
        binding.BindInput(1, av);
        binding.BindOutput(0, OrtMemoryInfo.Cpu);
        using var options = new OrtRunOptions();

        options.Terminate();
        Assert.Throws<OperationCanceledException>(() => session.RunWithBinding(binding, options));
        options.Reset();
        session.RunWithBinding(binding, options);

        var outputs = binding.GetOutputValues();
        using var c = Assert.Single(outputs);
        Assert.Equal(a.Select(x => x * x), c.GetData<double>().ToArray());
    }

    [Fact]
    public void TaggedOptionsRunNormally()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Float, 2));
        using var x = OrtValue.CreateTensor<float>(TensorElementType.Float, [2], new float[] { 3, 4 });
        using var options = new OrtRunOptions();
        options.SetTag("request-42 ü");

        var outputs = new OrtValue?[1];
        session.Run([0], [x], [0], outputs, options);

        using var y = Assert.IsType<OrtValue>(outputs[0]);
        Assert.Equal(new float[] { 3, 4 }, y.GetData<float>().ToArray());
    }
}
