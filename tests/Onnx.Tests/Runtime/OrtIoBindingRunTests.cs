using System.Text;
using Inference.Onnx.Authoring;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

/// <summary>
/// <see cref="OrtIoBinding.Run"/>: one whole run through a binding (bind, run, take the outputs, leave
/// the binding empty), compared with the plain <see cref="InferenceSession.Run(ReadOnlySpan{int}, ReadOnlySpan{OrtValue}, ReadOnlySpan{int}, Span{OrtValue?}, OrtRunOptions?)"/>.
/// </summary>
public sealed class OrtIoBindingRunTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public OrtIoBindingRunTests() => _ = OrtFixture.Environment;

    public static TheoryData<TensorElementType, string> TypesAndShapes()
    {
        var data = new TheoryData<TensorElementType, string>();
        TensorElementType[] types =
        [
            TensorElementType.Float, TensorElementType.Double, TensorElementType.Float16, TensorElementType.BFloat16,
            TensorElementType.Int8, TensorElementType.UInt8, TensorElementType.Int16, TensorElementType.UInt16,
            TensorElementType.Int32, TensorElementType.UInt32, TensorElementType.Int64, TensorElementType.UInt64,
            TensorElementType.Bool, TensorElementType.String,
        ];
        foreach (var type in types)
        {
            foreach (var shape in new[] { "1,3", "5,3", "0,3" })
            {
                data.Add(type, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndShapes))]
    public void ABoundRunGivesExactlyWhatAPlainRunGives(TensorElementType type, string shapeText)
    {
        var shape = TestModels.ParseShape(shapeText);
        using var session = TestModels.Open(TwoOutputs(type));
        using var input = RandomValue(type, shape, seed: (int)type * 31 + (int)shape[0]);
        using var binding = session.CreateIoBinding();

        var plain = new OrtValue?[2];
        session.Run([0], [input], [0, 1], plain);
        var bound = new OrtValue?[2];
        binding.Run([0], [input], [0, 1], bound, OrtMemoryInfo.Cpu);

        for (var i = 0; i < 2; i++)
        {
            using var expected = plain[i]!;
            using var actual = bound[i]!;
            Assert.Equal(expected.GetTypeAndShape(out var expectedShape), actual.GetTypeAndShape(out var actualShape));
            Assert.Equal(expectedShape, actualShape);
            Assert.Equal("Cpu", actual.MemoryName);
            if (type == TensorElementType.String)
            {
                Assert.Equal(TestModels.ToArrays(expected.GetStringContent()), TestModels.ToArrays(actual.GetStringContent()));
            }
            else
            {
                Assert.Equal(expected.GetBytes().ToArray(), actual.GetBytes().ToArray());
            }
        }
    }

    [Fact]
    public void OutputsAreAskedForInAnyOrderAndSubset()
    {
        using var session = TestModels.Open(TwoOutputs(TensorElementType.Int32));
        using var input = OrtValue.CreateTensor<int>(TensorElementType.Int32, [2, 3], new[] { 1, 2, 3, 4, 5, 6 });
        using var binding = session.CreateIoBinding();

        var reversed = new OrtValue?[2];
        binding.Run([0], [input], [1, 0], reversed);
        var second = new OrtValue?[1];
        binding.Run([0], [input], [1], second);

        using var r0 = reversed[0]!;
        using var r1 = reversed[1]!;
        using var s0 = second[0]!;
        Assert.Equal([1, 2, 3, 4, 5, 6], r1.GetData<int>().ToArray());
        Assert.Equal([1, 2, 3, 4, 5, 6], r0.GetData<int>().ToArray()); // the second output is a copy of the input too
        Assert.Equal(r0.GetData<int>().ToArray(), s0.GetData<int>().ToArray());
    }

    [Fact]
    public void ValuesHandedOutStayIntactWhileTheBindingRunsAgain()
    {
        // ORT would write a second run into the tensor it allocated for an output still bound; the
        // binding is cleared after each run so the first caller's value is never overwritten.
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var binding = session.CreateIoBinding();
        using var one = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], new float[] { 1, 2, 3 });
        using var two = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[] { 10, 20, 30, 40, 50, 60 });

        var first = new OrtValue?[1];
        binding.Run([0, 1], [one, one], [0], first, OrtMemoryInfo.Cpu);
        var held = new List<OrtValue>();
        for (var run = 0; run < 50; run++)
        {
            var next = new OrtValue?[1];
            var input = run % 2 == 0 ? two : one;
            binding.Run([0, 1], [input, input], [0], next, OrtMemoryInfo.Cpu);
            held.Add(next[0]!);
        }

        using var firstValue = first[0]!;
        Assert.Equal([2f, 4f, 6f], firstValue.GetData<float>().ToArray());
        for (var run = 0; run < held.Count; run++)
        {
            using var value = held[run];
            Assert.Equal(run % 2 == 0 ? new float[] { 20, 40, 60, 80, 100, 120 } : [2f, 4f, 6f], value.GetData<float>().ToArray());
        }

        Assert.Empty(binding.GetOutputValues());
    }

    [Fact]
    public void APreallocatedOutputIsFilledInPlace()
    {
        using var session = TestModels.Open(TestModels.Binary("Mul", TensorElementType.Int64));
        using var binding = session.CreateIoBinding();
        using var a = OrtValue.CreateTensor<long>(TensorElementType.Int64, [1, 3], new long[] { 2, 3, 4 });
        var result = GC.AllocateArray<long>(3, pinned: true);
        using var c = OrtValue.CreateTensor<long>(TensorElementType.Int64, [1, 3], result);
        var outputs = new OrtValue?[] { c };

        binding.Run([0, 1], [a, a], [0], outputs);

        Assert.Same(c, outputs[0]);
        Assert.Equal([4L, 9L, 16L], result);
    }

    [Fact]
    public void AFailedRunLeavesTheBindingEmptyAndUsable()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var binding = session.CreateIoBinding();
        using var three = OrtValue.CreateTensor<float>(TensorElementType.Float, [3, 3], new float[9]);
        using var rows = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[] { 1, 2, 3, 4, 5, 6 });

        // 3 rows and 2 rows do not broadcast: the run fails inside ORT.
        Assert.Throws<OrtException>(() => binding.Run([0, 1], [three, rows], [0], new OrtValue?[1]));
        Assert.Empty(binding.GetOutputValues());

        var outputs = new OrtValue?[1];
        binding.Run([0, 1], [rows, rows], [0], outputs);
        using var sum = outputs[0]!;
        Assert.Equal([2f, 4f, 6f, 8f, 10f, 12f], sum.GetData<float>().ToArray());
    }

    [Fact]
    public void MismatchedIndexAndValueCountsAreRefused()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        using var binding = session.CreateIoBinding();
        using var row = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], new float[] { 1, 2, 3 });

        Assert.Throws<ArgumentException>(() => binding.Run([0, 1], [row], [0], new OrtValue?[1]));
        Assert.Throws<ArgumentException>(() => binding.Run([0, 1], [row, row], [0], new OrtValue?[2]));
    }

    [Fact]
    public void ABindingOutlivesItsDisposedSessionSafely()
    {
        var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float));
        var binding = session.CreateIoBinding();
        using var row = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], new float[] { 1, 2, 3 });

        session.Dispose();

        // The binding's reference keeps the native session until the binding goes; a run is refused.
        Assert.Throws<ObjectDisposedException>(() => binding.Run([0, 1], [row, row], [0], new OrtValue?[1]));
        binding.Dispose();
        Assert.Throws<ObjectDisposedException>(session.CreateIoBinding);
    }

    [Fact]
    public void ACpuSessionHasACpuAllocatorButNoCudaPinnedOne()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Float, 1));
        using var pinned = OrtMemoryInfo.Create("CudaPinned", 0, OrtMemType.CpuOutput);

        Assert.True(session.HasAllocatorFor(OrtMemoryInfo.Cpu));
        Assert.False(session.HasAllocatorFor(pinned));
    }

    /// <summary>y = Identity(x) and z = Identity(x), of <paramref name="type"/> and shape [n, 3].</summary>
    private static byte[] TwoOutputs(TensorElementType type) =>
        new OnnxGraphBuilder("two")
            .Input("x", type, "n", 3)
            .Output("y", type, "n", 3)
            .Output("z", type, "n", 3)
            .Node("Identity", ["x"], ["y"])
            .Node("Identity", ["x"], ["z"])
            .Build(opset: 17);

    private static OrtValue RandomValue(TensorElementType type, long[] shape, int seed)
    {
        var count = (int)TestModels.ElementCount(shape);
        var random = new Random(seed);
        if (type == TensorElementType.String)
        {
            return TestModels.Strings(shape, Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes($"s{seed}-{i}-" + new string('x', random.Next(0, 5)))));
        }

        var bytes = new byte[count * type.SizeInBytes()];
        random.NextBytes(bytes);
        if (type == TensorElementType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }

        return OrtValue.CreateTensor<byte>(type, shape, bytes);
    }
}
