using Inference.Host.Protocol.Oip;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class OipDataTypeTests
{
    [Theory]
    [InlineData("BOOL", TensorElementType.Bool)]
    [InlineData("UINT8", TensorElementType.UInt8)]
    [InlineData("UINT16", TensorElementType.UInt16)]
    [InlineData("UINT32", TensorElementType.UInt32)]
    [InlineData("UINT64", TensorElementType.UInt64)]
    [InlineData("INT8", TensorElementType.Int8)]
    [InlineData("INT16", TensorElementType.Int16)]
    [InlineData("INT32", TensorElementType.Int32)]
    [InlineData("INT64", TensorElementType.Int64)]
    [InlineData("FP16", TensorElementType.Float16)]
    [InlineData("BF16", TensorElementType.BFloat16)]
    [InlineData("FP32", TensorElementType.Float)]
    [InlineData("FP64", TensorElementType.Double)]
    [InlineData("BYTES", TensorElementType.String)]
    public void NamesMapBothWays(string name, TensorElementType type)
    {
        Assert.True(OipDataType.TryParse(System.Text.Encoding.ASCII.GetBytes(name), out var parsed));

        Assert.Equal(type, parsed);
        Assert.Equal(name, OipDataType.ToName(type));
        Assert.Contains(name, OipDataType.Supported.Split(", "));
    }

    [Theory]
    [InlineData("")]
    [InlineData("FP8")]
    [InlineData("fp32")]
    [InlineData("FP32 ")]
    [InlineData("STRING")]
    [InlineData("FLOAT")]
    [InlineData("COMPLEX64")]
    public void UnknownNamesAreRejected(string name)
    {
        Assert.False(OipDataType.TryParse(System.Text.Encoding.ASCII.GetBytes(name), out var type));
        Assert.Equal(TensorElementType.Undefined, type);
    }

    [Fact]
    public void SupportedListsExactlyFourteenDatatypes()
    {
        Assert.Equal(14, OipDataType.Supported.Split(", ").Distinct().Count());
    }
}
