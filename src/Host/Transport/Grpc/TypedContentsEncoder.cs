using System.Runtime.InteropServices;
using Google.Protobuf;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Tensors;

namespace Inference.Host.Transport.Grpc;

/// <summary>An output read from ORT's memory into the typed field of its datatype (the inverse of <see cref="TypedContentsDecoder"/>).</summary>
internal static class TypedContentsEncoder
{
    /// <summary>FP16 and BF16 have no typed field: a response with one of them is all raw.</summary>
    public static bool HasTypedField(TensorElementType type) => type is not (TensorElementType.Float16 or TensorElementType.BFloat16);

    public static InferTensorContents Encode(OutputTensor output)
    {
        var contents = new InferTensorContents();
        if (output.Strings is { } strings)
        {
            for (var i = 0; i < strings.Count; i++)
            {
                contents.BytesContents.Add(ByteString.CopyFrom(strings[i]));
            }

            return contents;
        }

        var bytes = output.Value.GetBytes();
        switch (output.ElementType)
        {
            case TensorElementType.Bool:
                foreach (var b in bytes)
                {
                    contents.BoolContents.Add(b != 0);
                }

                break;
            case TensorElementType.Int8:
                foreach (var v in MemoryMarshal.Cast<byte, sbyte>(bytes))
                {
                    contents.IntContents.Add(v);
                }

                break;
            case TensorElementType.Int16:
                foreach (var v in MemoryMarshal.Cast<byte, short>(bytes))
                {
                    contents.IntContents.Add(v);
                }

                break;
            case TensorElementType.Int32:
                contents.IntContents.AddRange(MemoryMarshal.Cast<byte, int>(bytes).ToArray());
                break;
            case TensorElementType.Int64:
                contents.Int64Contents.AddRange(MemoryMarshal.Cast<byte, long>(bytes).ToArray());
                break;
            case TensorElementType.UInt8:
                foreach (var v in bytes)
                {
                    contents.UintContents.Add(v);
                }

                break;
            case TensorElementType.UInt16:
                foreach (var v in MemoryMarshal.Cast<byte, ushort>(bytes))
                {
                    contents.UintContents.Add(v);
                }

                break;
            case TensorElementType.UInt32:
                contents.UintContents.AddRange(MemoryMarshal.Cast<byte, uint>(bytes).ToArray());
                break;
            case TensorElementType.UInt64:
                contents.Uint64Contents.AddRange(MemoryMarshal.Cast<byte, ulong>(bytes).ToArray());
                break;
            case TensorElementType.Float:
                contents.Fp32Contents.AddRange(MemoryMarshal.Cast<byte, float>(bytes).ToArray());
                break;
            case TensorElementType.Double:
                contents.Fp64Contents.AddRange(MemoryMarshal.Cast<byte, double>(bytes).ToArray());
                break;
            default:
                throw new NotSupportedException($"output '{output.Name}' is {OipDataType.ToName(output.ElementType)}, which has no typed contents field");
        }

        return contents;
    }
}
