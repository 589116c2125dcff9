namespace Inference.Onnx.Tensors;

/// <summary>Sizes of the element types; strings have no fixed size (0).</summary>
public static class TensorElementTypeExtensions
{
    public static int SizeInBytes(this TensorElementType type) => type switch
    {
        TensorElementType.Bool or TensorElementType.UInt8 or TensorElementType.Int8 => 1,
        TensorElementType.UInt16 or TensorElementType.Int16 or TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Int32 or TensorElementType.UInt32 or TensorElementType.Float => 4,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double or TensorElementType.Complex64 => 8,
        TensorElementType.Complex128 => 16,
        _ => 0,
    };

    public static bool IsFixedSize(this TensorElementType type) => type.SizeInBytes() > 0;
}
