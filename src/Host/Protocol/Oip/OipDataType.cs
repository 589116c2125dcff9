using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>The Open Inference Protocol's datatype names and the element types they stand for.</summary>
public static class OipDataType
{
    public static string ToName(TensorElementType type) => type switch
    {
        TensorElementType.Bool => "BOOL",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        TensorElementType.Int8 => "INT8",
        TensorElementType.Int16 => "INT16",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.Float16 => "FP16",
        TensorElementType.BFloat16 => "BF16",
        TensorElementType.Float => "FP32",
        TensorElementType.Double => "FP64",
        TensorElementType.String => "BYTES",
        _ => type.ToString().ToUpperInvariant(),
    };

    public static bool TryParse(ReadOnlySpan<byte> name, out TensorElementType type)
    {
        type = name switch
        {
            _ when name.SequenceEqual("FP32"u8) => TensorElementType.Float,
            _ when name.SequenceEqual("INT64"u8) => TensorElementType.Int64,
            _ when name.SequenceEqual("INT32"u8) => TensorElementType.Int32,
            _ when name.SequenceEqual("BYTES"u8) => TensorElementType.String,
            _ when name.SequenceEqual("BOOL"u8) => TensorElementType.Bool,
            _ when name.SequenceEqual("UINT8"u8) => TensorElementType.UInt8,
            _ when name.SequenceEqual("UINT16"u8) => TensorElementType.UInt16,
            _ when name.SequenceEqual("UINT32"u8) => TensorElementType.UInt32,
            _ when name.SequenceEqual("UINT64"u8) => TensorElementType.UInt64,
            _ when name.SequenceEqual("INT8"u8) => TensorElementType.Int8,
            _ when name.SequenceEqual("INT16"u8) => TensorElementType.Int16,
            _ when name.SequenceEqual("FP16"u8) => TensorElementType.Float16,
            _ when name.SequenceEqual("BF16"u8) => TensorElementType.BFloat16,
            _ when name.SequenceEqual("FP64"u8) => TensorElementType.Double,
            _ => TensorElementType.Undefined,
        };
        return type != TensorElementType.Undefined;
    }

    public const string Supported = "BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64, BYTES";
}
