using System.Text;
using Inference.Host.Protocol.Oip;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class OutputTensorTests
{
    public OutputTensorTests() => _ = OrtTestEnvironment.Instance;

    [Theory]
    [InlineData(TensorElementType.Bool, 1)]
    [InlineData(TensorElementType.UInt8, 1)]
    [InlineData(TensorElementType.Int8, 1)]
    [InlineData(TensorElementType.UInt16, 2)]
    [InlineData(TensorElementType.Int16, 2)]
    [InlineData(TensorElementType.Float16, 2)]
    [InlineData(TensorElementType.BFloat16, 2)]
    [InlineData(TensorElementType.UInt32, 4)]
    [InlineData(TensorElementType.Int32, 4)]
    [InlineData(TensorElementType.Float, 4)]
    [InlineData(TensorElementType.UInt64, 8)]
    [InlineData(TensorElementType.Int64, 8)]
    [InlineData(TensorElementType.Double, 8)]
    public void FixedSizeOutputReadsTypeShapeAndBinarySize(TensorElementType type, int elementSize)
    {
        using var value = OrtValue.CreateTensor<byte>(type, [2, 3], new byte[6 * elementSize]);

        var output = new OutputTensor("out", value, binary: true);

        Assert.Equal("out", output.Name);
        Assert.Same(value, output.Value);
        Assert.True(output.Binary);
        Assert.Equal(type, output.ElementType);
        Assert.Equal(new long[] { 2, 3 }, output.Shape);
        Assert.Equal(6L * elementSize, output.BinarySize);
        Assert.Null(output.Strings);
    }

    [Fact]
    public void BytesOutputReadsItsElementsOnceAndCountsLengthPrefixes()
    {
        byte[][] elements = ["a"u8.ToArray(), [], Encoding.UTF8.GetBytes("héllo"), [0, 0xFF]];
        using var value = OrtValue.CreateStringTensor([2, 2], elements.Select(e => (ReadOnlyMemory<byte>)e).ToList());

        var output = new OutputTensor("s", value, binary: false);

        Assert.False(output.Binary);
        Assert.Equal(TensorElementType.String, output.ElementType);
        Assert.Equal(new long[] { 2, 2 }, output.Shape);
        var strings = output.Strings!;
        Assert.Equal(4, strings.Count);
        for (var i = 0; i < elements.Length; i++)
        {
            Assert.Equal(elements[i], strings[i].ToArray());
        }

        // 1 + 0 + 6 + 2 bytes of data and a 4-byte length per element.
        Assert.Equal(9 + (4 * 4), output.BinarySize);
    }

    [Fact]
    public void ZeroSizeOutputsTakeNoBinaryBytes()
    {
        using var fixedValue = OrtValue.CreateTensor<float>(TensorElementType.Float, [0, 3], Array.Empty<float>());
        using var stringValue = OrtValue.CreateStringTensor([0], []);

        var fixedOutput = new OutputTensor("f", fixedValue, binary: true);
        var stringOutput = new OutputTensor("s", stringValue, binary: true);

        Assert.Equal(new long[] { 0, 3 }, fixedOutput.Shape);
        Assert.Equal(0, fixedOutput.BinarySize);
        Assert.Equal(new long[] { 0 }, stringOutput.Shape);
        Assert.Equal(0, stringOutput.Strings!.Count);
        Assert.Equal(0, stringOutput.BinarySize);
    }

    [Fact]
    public void ScalarOutputHasAnEmptyShape()
    {
        using var value = OrtValue.CreateTensor<double>(TensorElementType.Double, [], new[] { 2.5 });

        var output = new OutputTensor("x", value, binary: false);

        Assert.Empty(output.Shape);
        Assert.Equal(8, output.BinarySize);
    }
}
