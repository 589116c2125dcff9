using Inference.Onnx.Authoring;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

public sealed class OrtIoBindingTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public OrtIoBindingTests() => _ = OrtFixture.Environment;

    [Fact]
    public void BoundInputsAndPreallocatedOutputRunWithBinding()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [-1, 0.5f, 8, 0, 2, -6];
        var result = GC.AllocateArray<float>(6, pinned: true);
        using var av = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], a);
        using var bv = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], b);
        using var cv = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], result);
        using var binding = session.CreateIoBinding();
        binding.BindInput(session.GetInputIndex("a"), av);
        binding.BindInput(session.GetInputIndex("b"), bv);
        binding.BindOutput(session.GetOutputIndex("c"), cv);

        session.RunWithBinding(binding);

        Assert.Equal(a.Zip(b, (x, y) => x + y), result);
        var outputs = binding.GetOutputValues();
        using var bound = Assert.Single(outputs);
        Assert.Equal(result, bound.GetData<float>().ToArray());
    }

    [Fact]
    public void OutputBoundToCpuIsAllocatedByOrtAndReadable()
    {
        long[] a = [3, -4, 5, 1L << 40];
        long[] b = [7, 7, -2, 3];
        using var av = OrtValue.CreateTensor<long>(TensorElementType.Int64, [1, 4], a);
        using var bv = OrtValue.CreateTensor<long>(TensorElementType.Int64, [1, 4], b);
        using var session = TestModels.Open(new OnnxGraphBuilder("mul4")
            .Input("a", TensorElementType.Int64, "batch", 4)
            .Input("b", TensorElementType.Int64, "batch", 4)
            .Output("c", TensorElementType.Int64, "batch", 4)
            .Node("Mul", ["a", "b"], ["c"])
            .Build());
        using var binding = session.CreateIoBinding();
        binding.BindInput(0, av);
        binding.BindInput(1, bv);
        binding.BindOutput(0, OrtMemoryInfo.Cpu);

        session.RunWithBinding(binding);

        var outputs = binding.GetOutputValues();
        using var c = Assert.Single(outputs);
        Assert.Equal(TensorElementType.Int64, c.ElementType);
        Assert.Equal([1L, 4L], c.Shape);
        Assert.Equal(a.Zip(b, (x, y) => x * y), c.GetData<long>().ToArray());
    }

    [Fact]
    public void RebindingAndRerunningGivesNewResults()
    {
        using var session = TestModels.Open(TestModels.Binary("Sub", TensorElementType.Int32));
        var a = new int[] { 10, 20, 30 };
        int[] b = [1, 2, 3];
        using var av = OrtValue.CreateTensor<int>(TensorElementType.Int32, [1, 3], a);
        using var bv = OrtValue.CreateTensor<int>(TensorElementType.Int32, [1, 3], b);
        using var binding = session.CreateIoBinding();
        binding.BindInput(0, av);
        binding.BindInput(1, bv);
        binding.BindOutput(0, OrtMemoryInfo.Cpu);

        session.RunWithBinding(binding);
        using (var first = Assert.Single(binding.GetOutputValues()))
        {
            Assert.Equal(a.Zip(b, (x, y) => x - y), first.GetData<int>().ToArray());
        }

        // The bound input wraps the caller's array: changing it changes the next run.
        a[0] = -100;
        session.RunWithBinding(binding);
        using (var second = Assert.Single(binding.GetOutputValues()))
        {
            Assert.Equal(a.Zip(b, (x, y) => x - y), second.GetData<int>().ToArray());
        }

        // Binding another value with another batch size replaces the first; the output bound to a
        // device holds the first run's tensor, so it is bound again for the new shape.
        int[] a2 = [5, 5, 5, 6, 6, 6];
        int[] b2 = [1, 2, 3, 4, 5, 6];
        using var av2 = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], a2);
        using var bv2 = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], b2);
        binding.BindInput(0, av2);
        binding.BindInput(1, bv2);
        binding.BindOutput(0, OrtMemoryInfo.Cpu);
        session.RunWithBinding(binding);
        using var third = Assert.Single(binding.GetOutputValues());
        Assert.Equal([2L, 3L], third.Shape);
        Assert.Equal(a2.Zip(b2, (x, y) => x - y), third.GetData<int>().ToArray());
    }

    [Fact]
    public void OutputBoundToADeviceKeepsTheFirstRunsShapeUntilBoundAgain()
    {
        // ORT keeps the tensor it allocated for a device-bound output and reuses it on the next run,
        // so a run with another batch size fails until the output is bound again.
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var one = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], new float[] { 1, 2, 3 });
        using var two = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[] { 1, 2, 3, 4, 5, 6 });
        using var binding = session.CreateIoBinding();
        binding.BindInput(0, one);
        binding.BindInput(1, one);
        binding.BindOutput(0, OrtMemoryInfo.Cpu);
        session.RunWithBinding(binding);
        foreach (var value in binding.GetOutputValues())
        {
            value.Dispose();
        }

        binding.BindInput(0, two);
        binding.BindInput(1, two);
        var e = Assert.Throws<OrtException>(() => session.RunWithBinding(binding));
        Assert.Contains("shape", e.Message, StringComparison.OrdinalIgnoreCase);

        binding.BindOutput(0, OrtMemoryInfo.Cpu);
        session.RunWithBinding(binding);
        using var c = Assert.Single(binding.GetOutputValues());
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, c.GetData<float>().ToArray());
    }

    [Fact]
    public void OutputBoundToAnExplicitCpuMemoryInfoWorks()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.UInt16, 3));
        ushort[] x = [1, 65535, 300];
        using var xv = OrtValue.CreateTensor<ushort>(TensorElementType.UInt16, [3], x);
        using var memory = OrtMemoryInfo.Create("Cpu", 0);
        using var binding = session.CreateIoBinding();
        binding.BindInput(0, xv);
        binding.BindOutput(0, memory);

        session.RunWithBinding(binding);

        using var y = Assert.Single(binding.GetOutputValues());
        Assert.Equal(x, y.GetData<ushort>().ToArray());
    }

    [Fact]
    public void ClearedOutputsLeaveNothingToRead()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Float, 1));
        using var xv = OrtValue.CreateTensor<float>(TensorElementType.Float, [1], new float[] { 1 });
        using var binding = session.CreateIoBinding();
        binding.BindInput(0, xv);
        binding.BindOutput(0, OrtMemoryInfo.Cpu);
        session.RunWithBinding(binding);
        foreach (var value in binding.GetOutputValues())
        {
            value.Dispose();
        }

        binding.ClearOutputs();

        Assert.Empty(binding.GetOutputValues());
    }

    [Fact]
    public void RunWithMissingBoundInputFailsAndBindingCanBeRepaired()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        float[] a = [1, 2, 3];
        using var av = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], a);
        using var binding = session.CreateIoBinding();
        binding.BindInput(0, av);
        binding.BindOutput(0, OrtMemoryInfo.Cpu);

        var e = Assert.Throws<OrtException>(() => session.RunWithBinding(binding));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));

        binding.ClearInputs();
        binding.BindInput(0, av);
        binding.BindInput(1, av);
        session.RunWithBinding(binding);
        using var c = Assert.Single(binding.GetOutputValues());
        Assert.Equal(a.Select(x => x + x), c.GetData<float>().ToArray());
    }

    [Fact]
    public void EachThreadWithItsOwnBindingGetsItsOwnResults()
    {
        using var session = TestModels.Open(TestModels.Binary("Mul", TensorElementType.Int32));
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                var a = new int[3];
                int[] b = [t + 1, t + 2, t + 3];
                using var av = OrtValue.CreateTensor<int>(TensorElementType.Int32, [1, 3], a);
                using var bv = OrtValue.CreateTensor<int>(TensorElementType.Int32, [1, 3], b);
                using var binding = session.CreateIoBinding();
                binding.BindInput(0, av);
                binding.BindInput(1, bv);
                binding.BindOutput(0, OrtMemoryInfo.Cpu);
                for (var run = 0; run < 200; run++)
                {
                    a[0] = run;
                    a[1] = -run;
                    a[2] = run * t;
                    session.RunWithBinding(binding);
                    var outputs = binding.GetOutputValues();
                    using var c = outputs[0];
                    var expected = a.Zip(b, (x, y) => x * y).ToArray();
                    if (!c.GetData<int>().SequenceEqual(expected))
                    {
                        errors.Enqueue($"thread {t} run {run}: [{string.Join(",", c.GetData<int>().ToArray())}] != [{string.Join(",", expected)}]");
                    }
                }
            }
            catch (Exception e)
            {
                errors.Enqueue($"thread {t}: {e}");
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(errors);
    }
}
