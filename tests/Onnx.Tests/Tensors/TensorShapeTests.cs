using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Tensors;

public sealed class TensorShapeTests
{
    [Fact]
    public void ScalarHasOneElement()
    {
        Assert.Equal(1, TensorShape.ElementCount([]));
    }

    [Theory]
    [InlineData(new long[] { 7 }, 7)]
    [InlineData(new long[] { 2, 3, 4 }, 24)]
    [InlineData(new long[] { 1, 1, 1, 1 }, 1)]
    [InlineData(new long[] { 0, 3 }, 0)]
    [InlineData(new long[] { 3, 0, 5 }, 0)]
    [InlineData(new long[] { 0, long.MaxValue }, 0)]
    [InlineData(new long[] { 1L << 31, 1L << 31 }, 1L << 62)]
    public void ElementCountIsTheProductOfTheDimensions(long[] shape, long expected)
    {
        Assert.Equal(expected, TensorShape.ElementCount(shape));
    }

    [Theory]
    [InlineData(new long[] { -1 })]
    [InlineData(new long[] { 2, -1, 3 })]
    [InlineData(new long[] { 0, -1 })]
    public void NegativeDimensionGivesMinusOne(long[] shape)
    {
        Assert.Equal(-1, TensorShape.ElementCount(shape));
    }

    [Theory]
    [InlineData(new long[] { long.MaxValue, 2 })]
    [InlineData(new long[] { 1L << 32, 1L << 32 })]
    [InlineData(new long[] { 1L << 21, 1L << 21, 1L << 21 })]
    public void OverflowGivesMinusOne(long[] shape)
    {
        Assert.Equal(-1, TensorShape.ElementCount(shape));
    }

    [Fact]
    public void FormatWritesBracketedCommaSeparatedDimensions()
    {
        long[] shape = [-1, 224, 3];

        Assert.Equal("[-1,224,3]", TensorShape.Format(shape.AsSpan()));
        Assert.Equal("[-1,224,3]", TensorShape.Format((IReadOnlyList<long>)shape));
        Assert.Equal("[]", TensorShape.Format(ReadOnlySpan<long>.Empty));
        Assert.Equal("[]", TensorShape.Format(Array.Empty<long>() as IReadOnlyList<long>));
    }
}
