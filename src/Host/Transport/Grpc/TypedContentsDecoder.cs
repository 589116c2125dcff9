using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf.Collections;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Oip;
using Inference.Onnx.Tensors;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// An input's typed <c>InferTensorContents</c> into a pooled pinned buffer: the field of its datatype
/// (INT8/16/32 in int_contents, UINT8/16/32 in uint_contents, ...), with as many elements as the shape
/// holds, each in range for the datatype. FP16 and BF16 have no typed field: raw contents only.
/// </summary>
internal static class TypedContentsDecoder
{
    /// <summary>Elements in all fields together.</summary>
    public static int ElementsIn(InferTensorContents c) =>
        c.BoolContents.Count + c.IntContents.Count + c.Int64Contents.Count + c.UintContents.Count
        + c.Uint64Contents.Count + c.Fp32Contents.Count + c.Fp64Contents.Count + c.BytesContents.Count;

    /// <summary>The field that carries <paramref name="type"/> and how many elements it holds; null for FP16/BF16.</summary>
    public static (string? Field, int Count) FieldOf(TensorElementType type, InferTensorContents c) => type switch
    {
        TensorElementType.Bool => ("bool_contents", c.BoolContents.Count),
        TensorElementType.Int8 or TensorElementType.Int16 or TensorElementType.Int32 => ("int_contents", c.IntContents.Count),
        TensorElementType.Int64 => ("int64_contents", c.Int64Contents.Count),
        TensorElementType.UInt8 or TensorElementType.UInt16 or TensorElementType.UInt32 => ("uint_contents", c.UintContents.Count),
        TensorElementType.UInt64 => ("uint64_contents", c.Uint64Contents.Count),
        TensorElementType.Float => ("fp32_contents", c.Fp32Contents.Count),
        TensorElementType.Double => ("fp64_contents", c.Fp64Contents.Count),
        TensorElementType.String => ("bytes_contents", c.BytesContents.Count),
        _ => (null, 0),
    };

    public static void Decode(InferInput input, string name, TensorElementType type, long[] shape, int count, InferTensorContents contents, PinnedBufferPool pool)
    {
        var typeName = OipDataType.ToName(type);
        var (field, given) = FieldOf(type, contents);
        var all = ElementsIn(contents);
        if (field is null && (count > 0 || all > 0))
        {
            throw Invalid($"input '{name}': {typeName} has no typed contents field; send it as raw bytes in raw_input_contents");
        }

        if (all != given)
        {
            throw Invalid($"input '{name}' is {typeName}, whose data goes in {field}, but it has data in another contents field");
        }

        if (given != count)
        {
            throw Invalid($"input '{name}': shape {TensorShape.Format(shape)} needs {count} elements but {field} has {given}");
        }

        if (type == TensorElementType.String)
        {
            var strings = new List<ReadOnlyMemory<byte>>(count);
            foreach (var element in contents.BytesContents)
            {
                strings.Add(element.Memory);
            }

            input.SetStrings(name, type, shape, strings);
            return;
        }

        var length = count * type.SizeInBytes();
        var buffer = new PooledBuffer(pool, pool.Rent(Math.Max(length, 1)));
        try
        {
            Fill(type, contents, buffer.Array.AsSpan(0, length), name, typeName);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        input.SetFixed(name, type, shape, buffer.Array, 0, length, buffer);
    }

    private static void Fill(TensorElementType type, InferTensorContents c, Span<byte> destination, string name, string typeName)
    {
        switch (type)
        {
            case TensorElementType.Bool:
                for (var i = 0; i < c.BoolContents.Count; i++)
                {
                    destination[i] = c.BoolContents[i] ? (byte)1 : (byte)0;
                }

                break;
            case TensorElementType.Int8:
                Narrow<int, sbyte>(c.IntContents, destination, name, typeName);
                break;
            case TensorElementType.Int16:
                Narrow<int, short>(c.IntContents, destination, name, typeName);
                break;
            case TensorElementType.Int32:
                Copy(c.IntContents, destination);
                break;
            case TensorElementType.Int64:
                Copy(c.Int64Contents, destination);
                break;
            case TensorElementType.UInt8:
                Narrow<uint, byte>(c.UintContents, destination, name, typeName);
                break;
            case TensorElementType.UInt16:
                Narrow<uint, ushort>(c.UintContents, destination, name, typeName);
                break;
            case TensorElementType.UInt32:
                Copy(c.UintContents, destination);
                break;
            case TensorElementType.UInt64:
                Copy(c.Uint64Contents, destination);
                break;
            case TensorElementType.Float:
                Copy(c.Fp32Contents, destination);
                break;
            case TensorElementType.Double:
                Copy(c.Fp64Contents, destination);
                break;
            default:
                throw Invalid($"input '{name}': {typeName} cannot be sent as typed contents");
        }
    }

    private static void Copy<T>(RepeatedField<T> values, Span<byte> destination)
        where T : unmanaged
    {
        var target = MemoryMarshal.Cast<byte, T>(destination);
        for (var i = 0; i < values.Count; i++)
        {
            target[i] = values[i];
        }
    }

    private static void Narrow<TSource, TTarget>(RepeatedField<TSource> values, Span<byte> destination, string name, string typeName)
        where TSource : unmanaged, IBinaryInteger<TSource>
        where TTarget : unmanaged, IBinaryInteger<TTarget>, IMinMaxValue<TTarget>
    {
        var min = long.CreateTruncating(TTarget.MinValue);
        var max = long.CreateTruncating(TTarget.MaxValue);
        var target = MemoryMarshal.Cast<byte, TTarget>(destination);
        for (var i = 0; i < values.Count; i++)
        {
            var value = long.CreateTruncating(values[i]);
            if (value < min || value > max)
            {
                throw Invalid($"input '{name}': element {i} is {value}, out of range for {typeName} [{min}, {max}]");
            }

            target[i] = TTarget.CreateTruncating(values[i]);
        }
    }

    private static InferenceException Invalid(string message) => new(InferenceError.Invalid(message));
}
