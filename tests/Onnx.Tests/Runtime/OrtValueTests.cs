using System.Text;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

public sealed unsafe class OrtValueTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public OrtValueTests() => _ = OrtFixture.Environment;

    // ---- 4. zero copy over caller memory ----

    [Fact]
    public void TensorOverCallerArrayUsesThatMemory()
    {
        var data = GC.AllocateArray<float>(6, pinned: true);
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], data);

        fixed (float* first = data)
        {
            Assert.Equal((nint)first, (nint)value.DataPointer);
        }

        // Writes through the value land in the array and the other way round.
        value.GetData<float>()[4] = 42;
        Assert.Equal(42, data[4]);
        data[1] = -7;
        Assert.Equal(-7, value.GetData<float>()[1]);
    }

    [Fact]
    public void WritingCallerArrayAfterCreatingTheValueChangesWhatTheModelSees()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Float, "n"));
        var data = new float[] { 1, 2, 3, 4 };
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [4], data);
        using (var before = TestModels.RunSingle(session, ("x", value)))
        {
            Assert.Equal(data, before.GetData<float>().ToArray());
        }

        data[0] = 100;
        data[3] = -0.5f;
        using var after = TestModels.RunSingle(session, ("x", value));

        Assert.Equal(new float[] { 100, 2, 3, -0.5f }, after.GetData<float>().ToArray());
    }

    [Fact]
    public void TensorOverASliceOfMemorySeesOnlyThatSlice()
    {
        var backing = Enumerable.Range(0, 10).Select(i => (long)i * 11).ToArray();
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Int64, "n"));
        using var value = OrtValue.CreateTensor<long>(TensorElementType.Int64, [4], backing.AsMemory(3, 4));
        backing[5] = -1;
        using var output = TestModels.RunSingle(session, ("x", value));

        Assert.Equal(backing.Skip(3).Take(4), output.GetData<long>().ToArray());
    }

    [Fact]
    public void BufferSmallerThanTheShapeIsRejected()
    {
        var e = Assert.Throws<OrtException>(() => OrtValue.CreateTensor<float>(TensorElementType.Float, [2, 3], new float[5]));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void StringTensorsCannotWrapCallerMemory()
    {
        var e = Assert.Throws<ArgumentException>(() => OrtValue.CreateTensor<byte>(TensorElementType.String, [1], new byte[16]));

        Assert.Equal("type", e.ParamName);
    }

    [Fact]
    public void ZeroSizeTensorOverEmptyMemoryHasNoElements()
    {
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [0, 3], Memory<float>.Empty);

        Assert.Equal([0L, 3L], value.Shape);
        Assert.Equal(0, value.ElementCount);
        Assert.Equal(0, value.SizeInBytes);
        Assert.True(value.GetData<float>().IsEmpty);
    }

    [Fact]
    public void DisposeReleasesTheOwnerExactlyOnce()
    {
        var data = GC.AllocateArray<int>(3, pinned: true);
        var owner = new CountingOwner();
        OrtValue value;
        fixed (int* pointer = data)
        {
            value = OrtValue.CreateTensor(TensorElementType.Int32, [3], pointer, sizeof(int) * 3, owner);
        }

        Assert.Equal(0, owner.Disposals);
        value.Dispose();
        value.Dispose();

        Assert.Equal(1, owner.Disposals);
    }

    [Fact]
    public void ValueCreatedOverRawPointerReportsTypeAndShape()
    {
        var data = GC.AllocateArray<double>(8, pinned: true);
        fixed (double* pointer = data)
        {
            using var value = OrtValue.CreateTensor(TensorElementType.Double, [2, 2, 2], pointer, sizeof(double) * 8);
            var type = value.GetTypeAndShape(out var shape);

            Assert.Equal(TensorElementType.Double, type);
            Assert.Equal([2L, 2L, 2L], shape);
            Assert.True(value.IsTensor);
            Assert.Equal(64, value.SizeInBytes);
        }
    }

    [Fact]
    public void AllocatedTensorIsWritableAndReachesTheModel()
    {
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.Int16, 2, 2));
        using var value = OrtValue.AllocateTensor(TensorElementType.Int16, [2, 2]);
        short[] expected = [short.MinValue, -1, 0, short.MaxValue];
        expected.CopyTo(value.GetData<short>());

        Assert.Equal(TensorElementType.Int16, value.ElementType);
        Assert.Equal(4, value.ElementCount);
        Assert.Equal(8, value.SizeInBytes);
        using var output = TestModels.RunSingle(session, ("x", value));
        Assert.Equal(expected, output.GetData<short>().ToArray());
    }

    [Fact]
    public void UsingADisposedValueIsObjectDisposed()
    {
        var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [2], new float[2]);
        value.Dispose();

        Assert.Throws<ObjectDisposedException>(() => value.ElementType);
    }

    // ---- 3. string tensors ----

    [Fact]
    public void StringElementsSurviveARoundTripByteForByte()
    {
        byte[][] elements =
        [
            [],
            [0],
            [(byte)'a', 0, (byte)'b'],
            [0, 0, 0],
            Encoding.UTF8.GetBytes("héllo, 世界 🎉"),
            Encoding.UTF8.GetBytes("trailing NUL\0"),
            Encoding.UTF8.GetBytes(new string('x', 10_000)),
            [0xFF, 0xFE, 0x80],
            Encoding.UTF8.GetBytes(""),
        ];
        using var session = TestModels.Open(TestModels.Identity(TensorElementType.String, "n"));
        using var input = TestModels.Strings([elements.Length], elements);
        using var output = TestModels.RunSingle(session, ("x", input));
        var content = output.GetStringContent();

        Assert.Equal(TensorElementType.String, output.ElementType);
        Assert.Equal(elements.Length, content.Count);
        Assert.Equal(elements, TestModels.ToArrays(content));
        Assert.Equal(elements.SelectMany(e => e), content.Data.ToArray());
    }

    [Fact]
    public void StringTensorContentCanBeReadWithoutAModel()
    {
        byte[][] elements = [Encoding.UTF8.GetBytes("zero"), [], Encoding.UTF8.GetBytes("two\0two"), Encoding.UTF8.GetBytes("drei")];
        using var value = TestModels.Strings([2, 2], elements);

        Assert.Equal([2L, 2L], value.Shape);
        Assert.Equal(4, value.ElementCount);
        Assert.Equal(elements, TestModels.ToArrays(value.GetStringContent()));
    }

    [Fact]
    public void ScalarAndEmptyStringTensorsRoundTrip()
    {
        using var scalar = TestModels.Strings([], [Encoding.UTF8.GetBytes("only")]);
        using var empty = TestModels.Strings([0], []);

        Assert.Equal("only", Encoding.UTF8.GetString(Assert.Single(TestModels.ToArrays(scalar.GetStringContent()))));
        Assert.Equal(0, empty.GetStringContent().Count);
        Assert.True(empty.GetStringContent().Data.IsEmpty);
    }

    [Fact]
    public void StringCountMustMatchTheShape()
    {
        var e = Assert.Throws<ArgumentException>(() => TestModels.Strings([3], [[1], [2]]));

        Assert.Equal("elements", e.ParamName);
        Assert.Contains("3", e.Message, StringComparison.Ordinal);
    }

    private sealed class CountingOwner : IDisposable
    {
        private int disposals;

        public int Disposals => Volatile.Read(ref disposals);

        public void Dispose() => Interlocked.Increment(ref disposals);
    }
}
