using System.Text.Json;
using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>The element parsers, one per datatype. Non-finite floats travel as the strings "NaN", "Infinity", "-Infinity".</summary>
internal static class ElementParsers
{
    internal readonly struct Bool : IElementParser<byte>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out byte value)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.True:
                    value = 1;
                    return true;
                case JsonTokenType.False:
                    value = 0;
                    return true;
                case JsonTokenType.Number when reader.TryGetByte(out var b) && b <= 1:
                    value = b;
                    return true;
                default:
                    value = 0;
                    return false;
            }
        }
    }

    internal readonly struct UInt8 : IElementParser<byte>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out byte value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetByte(out value);
        }
    }

    internal readonly struct Int8 : IElementParser<sbyte>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out sbyte value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetSByte(out value);
        }
    }

    internal readonly struct UInt16 : IElementParser<ushort>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out ushort value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out value);
        }
    }

    internal readonly struct Int16 : IElementParser<short>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out short value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt16(out value);
        }
    }

    internal readonly struct UInt32 : IElementParser<uint>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out uint value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out value);
        }
    }

    internal readonly struct Int32 : IElementParser<int>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out int value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
        }
    }

    internal readonly struct UInt64 : IElementParser<ulong>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out ulong value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out value);
        }
    }

    internal readonly struct Int64 : IElementParser<long>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out long value)
        {
            value = 0;
            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
        }
    }

    internal readonly struct Float32 : IElementParser<float>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out float value)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                // TryGetSingle accepts values beyond float's range as infinity; a finite JSON number
                // that overflows FP32 is a client error, not an infinity.
                return reader.TryGetSingle(out value) && float.IsFinite(value);
            }

            return TryParseNonFinite(ref reader, out value);
        }
    }

    internal readonly struct Float64 : IElementParser<double>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out double value)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.TryGetDouble(out value) && double.IsFinite(value);
            }

            var ok = TryParseNonFinite(ref reader, out var f);
            value = f;
            return ok;
        }
    }

    internal readonly struct Float16 : IElementParser<Half>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out Half value)
        {
            if (!Float64.TryParse(ref reader, out var d))
            {
                value = default;
                return false;
            }

            value = (Half)d;
            return !Half.IsInfinity(value) || double.IsInfinity(d);
        }
    }

    internal readonly struct BFloat16 : IElementParser<ushort>
    {
        public static bool TryParse(ref Utf8JsonReader reader, out ushort value)
        {
            if (!Float32.TryParse(ref reader, out var f))
            {
                value = 0;
                return false;
            }

            value = BFloat16Bits.FromSingle(f);

            // A finite number that rounds past bf16's largest value is an overflow, as for FP16 and FP32.
            return float.IsFinite(BFloat16Bits.ToSingle(value)) || !float.IsFinite(f);
        }
    }

    private static bool TryParseNonFinite(ref Utf8JsonReader reader, out float value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        var text = reader.ValueSpan;
        if (text.SequenceEqual("NaN"u8))
        {
            value = float.NaN;
        }
        else if (text.SequenceEqual("Infinity"u8) || text.SequenceEqual("inf"u8))
        {
            value = float.PositiveInfinity;
        }
        else if (text.SequenceEqual("-Infinity"u8) || text.SequenceEqual("-inf"u8))
        {
            value = float.NegativeInfinity;
        }
        else
        {
            return false;
        }

        return true;
    }
}
