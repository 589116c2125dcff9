using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// Decodes an input's JSON <c>data</c> (flat or nested arrays, or a bare scalar) straight into a pooled
/// pinned buffer in the element type's binary layout, ready for ORT to read in place.
/// </summary>
internal static class JsonTensorDecoder
{
    /// <summary>
    /// Reads the value at the reader's current token. <paramref name="expectedCount"/> (or -1 when the
    /// shape is not known yet) sizes the buffer; the caller checks the returned count against the shape.
    /// </summary>
    public static PooledBuffer DecodeFixed(ref Utf8JsonReader reader, TensorElementType type, long expectedCount, string inputName, PinnedBufferPool pool, out int count) =>
        type switch
        {
            TensorElementType.Float => Decode<float, ElementParsers.Float32>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.Int64 => Decode<long, ElementParsers.Int64>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.Int32 => Decode<int, ElementParsers.Int32>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.Double => Decode<double, ElementParsers.Float64>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.Bool => Decode<byte, ElementParsers.Bool>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.UInt8 => Decode<byte, ElementParsers.UInt8>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.Int8 => Decode<sbyte, ElementParsers.Int8>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.UInt16 => Decode<ushort, ElementParsers.UInt16>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.Int16 => Decode<short, ElementParsers.Int16>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.UInt32 => Decode<uint, ElementParsers.UInt32>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.UInt64 => Decode<ulong, ElementParsers.UInt64>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.Float16 => Decode<Half, ElementParsers.Float16>(ref reader, expectedCount, inputName, type, pool, out count),
            TensorElementType.BFloat16 => Decode<ushort, ElementParsers.BFloat16>(ref reader, expectedCount, inputName, type, pool, out count),
            _ => throw new InferenceException(InferenceError.Invalid($"input '{inputName}': datatype {OipDataType.ToName(type)} cannot be decoded as numbers")),
        };

    /// <summary>
    /// Reads BYTES elements (JSON strings). Unescaped strings are slices of <paramref name="body"/>
    /// (the array the JSON was read from, at <paramref name="jsonOffset"/>): no copy.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> DecodeStrings(ref Utf8JsonReader reader, byte[] body, int jsonOffset, string inputName)
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        var depth = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.String:
                    if (reader.ValueIsEscaped)
                    {
                        var copy = new byte[reader.ValueSpan.Length];
                        var written = reader.CopyString(copy);
                        elements.Add(copy.AsMemory(0, written));
                    }
                    else
                    {
                        elements.Add(body.AsMemory(jsonOffset + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length));
                    }

                    break;
                default:
                    throw Invalid(inputName, elements.Count, TensorElementType.String, ref reader);
            }
        }
        while (depth > 0 && reader.Read());

        return elements;
    }

    private static PooledBuffer Decode<T, TParser>(ref Utf8JsonReader reader, long expectedCount, string inputName, TensorElementType type, PinnedBufferPool pool, out int count)
        where T : unmanaged
        where TParser : struct, IElementParser<T>
    {
        var elementSize = Unsafe.SizeOf<T>();
        var capacity = expectedCount >= 0 ? (int)Math.Min(expectedCount, int.MaxValue / elementSize) : 1024;
        var buffer = new PooledBuffer(pool, pool.Rent(Math.Max(capacity, 1) * elementSize));
        try
        {
            var span = MemoryMarshal.Cast<byte, T>(buffer.Array.AsSpan());
            var n = 0;
            var depth = 0;
            do
            {
                var token = reader.TokenType;
                if (token == JsonTokenType.StartArray)
                {
                    depth++;
                    continue;
                }

                if (token == JsonTokenType.EndArray)
                {
                    depth--;
                    continue;
                }

                if (!TParser.TryParse(ref reader, out var value))
                {
                    throw Invalid(inputName, n, type, ref reader);
                }

                if (n == span.Length)
                {
                    buffer = Grow(buffer, pool, (long)n * elementSize, inputName);
                    span = MemoryMarshal.Cast<byte, T>(buffer.Array.AsSpan());
                }

                span[n++] = value;
            }
            while (depth > 0 && reader.Read());

            count = n;
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static PooledBuffer Grow(PooledBuffer buffer, PinnedBufferPool pool, long usedBytes, string inputName)
    {
        var newSize = usedBytes * 2;
        if (newSize > Array.MaxLength)
        {
            throw new InferenceException(InferenceError.Invalid($"input '{inputName}': data is too large to decode"));
        }

        var bigger = new PooledBuffer(pool, pool.Rent((int)newSize));
        buffer.Array.AsSpan(0, (int)usedBytes).CopyTo(bigger.Array);
        buffer.Dispose();
        return bigger;
    }

    private static InferenceException Invalid(string inputName, int index, TensorElementType type, ref Utf8JsonReader reader)
    {
        var token = reader.TokenType switch
        {
            JsonTokenType.String => "\"" + reader.GetString() + "\"",
            JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.StartObject => "an object",
            _ => reader.TokenType.ToString(),
        };
        return new InferenceException(InferenceError.Invalid(
            $"input '{inputName}': data element {index} ({token}) is not a valid {OipDataType.ToName(type)} value"));
    }
}
