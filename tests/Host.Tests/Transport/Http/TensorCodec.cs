using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// The test side's own encoding of tensor elements, written from the protocol's rules and not from
/// the host's code: JSON values, the binary layout (little-endian, BOOL 1 byte, FP16/BF16 2 bytes,
/// BYTES as 4-byte length + bytes), and sample values per datatype that probe each type's edges.
/// Element values are boxed as bool, byte, ushort, uint, ulong, sbyte, short, int, long, Half,
/// float (FP32 and BF16), double and string, so arrays of them compare with Assert.Equal.
/// </summary>
public static class TensorCodec
{
    /// <summary>Every datatype of the protocol, with the suffix of its identity model.</summary>
    public static readonly (string Datatype, string Model)[] DataTypes =
    [
        ("BOOL", "identity_bool"), ("UINT8", "identity_uint8"), ("UINT16", "identity_uint16"),
        ("UINT32", "identity_uint32"), ("UINT64", "identity_uint64"), ("INT8", "identity_int8"),
        ("INT16", "identity_int16"), ("INT32", "identity_int32"), ("INT64", "identity_int64"),
        ("FP16", "identity_fp16"), ("BF16", "identity_bf16"), ("FP32", "identity_fp32"),
        ("FP64", "identity_fp64"), ("BYTES", "identity_bytes"),
    ];

    public static TheoryData<string> AllDatatypes()
    {
        var data = new TheoryData<string>();
        foreach (var (datatype, _) in DataTypes)
        {
            data.Add(datatype);
        }

        return data;
    }

    public static TheoryData<string> FixedSizeDatatypes()
    {
        var data = new TheoryData<string>();
        foreach (var (datatype, _) in DataTypes.Where(d => d.Datatype != "BYTES"))
        {
            data.Add(datatype);
        }

        return data;
    }

    public static string ModelFor(string datatype) => DataTypes.Single(d => d.Datatype == datatype).Model;

    /// <summary>Six values (a [2,3] tensor) at the edges of the type: extremes, zero, values a double cannot hold exactly.</summary>
    public static object[] Samples(string datatype) => datatype switch
    {
        "BOOL" => [true, false, false, true, true, false],
        "UINT8" => [(byte)0, (byte)1, (byte)127, (byte)128, (byte)254, byte.MaxValue],
        "UINT16" => [(ushort)0, (ushort)1, (ushort)32767, (ushort)32768, (ushort)65534, ushort.MaxValue],
        "UINT32" => [0u, 1u, 2147483647u, 2147483648u, 4294967294u, uint.MaxValue],
        "UINT64" => [0ul, 1ul, 9007199254740993ul, 9223372036854775808ul, 18446744073709551614ul, ulong.MaxValue],
        "INT8" => [sbyte.MinValue, (sbyte)-1, (sbyte)0, (sbyte)1, (sbyte)126, sbyte.MaxValue],
        "INT16" => [short.MinValue, (short)-1, (short)0, (short)1, (short)12345, short.MaxValue],
        "INT32" => [int.MinValue, -1, 0, 1, 123456789, int.MaxValue],
        "INT64" => [long.MinValue, -9007199254740993L, 0L, 1L, 9007199254740993L, long.MaxValue],
        "FP16" => [(Half)0.5, (Half)(-2.25), (Half)1024, Half.MaxValue, (Half)6.103515625e-05, (Half)(-0.0009765625)],
        // bfloat16 values that are exact in 8 bits of mantissa, so no rounding is involved.
        "BF16" => [1f, -2f, 0.5f, 3.140625f, 1.2676506e30f, -0.0078125f],
        "FP32" => [0.1f, -3.4028235e38f, float.Epsilon, 1f / 3f, 0f, 123456.79f],
        "FP64" => [0.1, double.MaxValue, double.Epsilon, 1.0 / 3.0, -1e-300, 123456789.123456789],
        "BYTES" => ["hello", "", "héllo wörld", "日本語テキスト", "emoji 😀", "tab\tquote\"back\\slash"],
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, null),
    };

    public static int ElementSize(string datatype) => datatype switch
    {
        "BOOL" or "UINT8" or "INT8" => 1,
        "UINT16" or "INT16" or "FP16" or "BF16" => 2,
        "UINT32" or "INT32" or "FP32" => 4,
        "UINT64" or "INT64" or "FP64" => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, "BYTES has no fixed element size"),
    };

    public static JsonArray ToJsonArray(string datatype, IEnumerable<object> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(ToJson(datatype, value));
        }

        return array;
    }

    /// <summary>[a, b] values as nested rows, as the protocol also allows.</summary>
    public static JsonArray ToNestedJsonArray(string datatype, IReadOnlyList<object> values, int rows)
    {
        var columns = values.Count / rows;
        var array = new JsonArray();
        for (var r = 0; r < rows; r++)
        {
            array.Add(ToJsonArray(datatype, values.Skip(r * columns).Take(columns)));
        }

        return array;
    }

    public static JsonNode? ToJson(string datatype, object value) => (datatype, value) switch
    {
        ("BOOL", bool b) => JsonValue.Create(b),
        ("UINT8", byte v) => JsonValue.Create(v),
        ("UINT16", ushort v) => JsonValue.Create(v),
        ("UINT32", uint v) => JsonValue.Create(v),
        ("UINT64", ulong v) => JsonValue.Create(v),
        ("INT8", sbyte v) => JsonValue.Create(v),
        ("INT16", short v) => JsonValue.Create(v),
        ("INT32", int v) => JsonValue.Create(v),
        ("INT64", long v) => JsonValue.Create(v),
        ("FP16", Half v) => JsonValue.Create((double)v),
        ("BF16" or "FP32", float v) => float.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(NonFinite(v)),
        ("FP64", double v) => double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(NonFinite(v)),
        ("BYTES", string s) => JsonValue.Create(s),
        _ => throw new ArgumentException($"{value} ({value.GetType().Name}) is not a {datatype} element", nameof(value)),
    };

    /// <summary>Flattens a JSON data array (flat or nested) into elements.</summary>
    public static object[] FromJson(string datatype, JsonElement data)
    {
        var values = new List<object>();
        Flatten(datatype, data, values);
        return values.ToArray();
    }

    public static object FromJsonElement(string datatype, JsonElement e) => datatype switch
    {
        "BOOL" => e.GetBoolean(),
        "UINT8" => e.GetByte(),
        "UINT16" => e.GetUInt16(),
        "UINT32" => e.GetUInt32(),
        "UINT64" => e.GetUInt64(),
        "INT8" => e.GetSByte(),
        "INT16" => e.GetInt16(),
        "INT32" => e.GetInt32(),
        "INT64" => e.GetInt64(),
        "FP16" => (Half)ReadDouble(e),
        "BF16" or "FP32" => (float)ReadDouble(e),
        "FP64" => ReadDouble(e),
        "BYTES" => e.GetString()!,
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, null),
    };

    public static byte[] ToBinary(string datatype, IEnumerable<object> values)
    {
        var output = new MemoryStream();
        Span<byte> scratch = stackalloc byte[8];
        foreach (var value in values)
        {
            if (datatype == "BYTES")
            {
                var utf8 = Encoding.UTF8.GetBytes((string)value);
                BinaryPrimitives.WriteInt32LittleEndian(scratch, utf8.Length);
                output.Write(scratch[..4]);
                output.Write(utf8);
                continue;
            }

            var size = ElementSize(datatype);
            switch (value)
            {
                case bool b: scratch[0] = b ? (byte)1 : (byte)0; break;
                case byte v: scratch[0] = v; break;
                case sbyte v: scratch[0] = unchecked((byte)v); break;
                case ushort v: BinaryPrimitives.WriteUInt16LittleEndian(scratch, v); break;
                case short v: BinaryPrimitives.WriteInt16LittleEndian(scratch, v); break;
                case uint v: BinaryPrimitives.WriteUInt32LittleEndian(scratch, v); break;
                case int v: BinaryPrimitives.WriteInt32LittleEndian(scratch, v); break;
                case ulong v: BinaryPrimitives.WriteUInt64LittleEndian(scratch, v); break;
                case long v: BinaryPrimitives.WriteInt64LittleEndian(scratch, v); break;
                case Half v: BinaryPrimitives.WriteHalfLittleEndian(scratch, v); break;
                case float v when datatype == "BF16": BinaryPrimitives.WriteUInt16LittleEndian(scratch, ToBFloat16Exact(v)); break;
                case float v: BinaryPrimitives.WriteSingleLittleEndian(scratch, v); break;
                case double v: BinaryPrimitives.WriteDoubleLittleEndian(scratch, v); break;
                default: throw new ArgumentException($"{value} is not a {datatype} element", nameof(values));
            }

            output.Write(scratch[..size]);
        }

        return output.ToArray();
    }

    public static object[] FromBinary(string datatype, ReadOnlySpan<byte> bytes)
    {
        var values = new List<object>();
        if (datatype == "BYTES")
        {
            var position = 0;
            while (position < bytes.Length)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[position..]);
                position += 4;
                values.Add(Encoding.UTF8.GetString(bytes.Slice(position, length)));
                position += length;
            }

            return values.ToArray();
        }

        var size = ElementSize(datatype);
        Assert.True(bytes.Length % size == 0, $"{bytes.Length} bytes is not a whole number of {datatype} elements");
        for (var i = 0; i < bytes.Length; i += size)
        {
            var e = bytes[i..];
            values.Add(datatype switch
            {
                "BOOL" => e[0] switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new InvalidDataException($"BOOL byte {e[0]} is neither 0 nor 1"),
                },
                "UINT8" => e[0],
                "INT8" => unchecked((sbyte)e[0]),
                "UINT16" => BinaryPrimitives.ReadUInt16LittleEndian(e),
                "INT16" => BinaryPrimitives.ReadInt16LittleEndian(e),
                "UINT32" => BinaryPrimitives.ReadUInt32LittleEndian(e),
                "INT32" => BinaryPrimitives.ReadInt32LittleEndian(e),
                "UINT64" => BinaryPrimitives.ReadUInt64LittleEndian(e),
                "INT64" => BinaryPrimitives.ReadInt64LittleEndian(e),
                "FP16" => BinaryPrimitives.ReadHalfLittleEndian(e),
                "BF16" => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(e) << 16),
                "FP32" => BinaryPrimitives.ReadSingleLittleEndian(e),
                "FP64" => BinaryPrimitives.ReadDoubleLittleEndian(e),
                _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, null),
            });
        }

        return values.ToArray();
    }

    public static byte[] Fp32Bytes(params float[] values) => ToBinary("FP32", values.Cast<object>());

    public static float[] Fp32Values(ReadOnlySpan<byte> bytes) => FromBinary("FP32", bytes).Cast<float>().ToArray();

    /// <summary>The top 16 bits of a float that bfloat16 holds exactly (the low 16 bits must be zero).</summary>
    private static ushort ToBFloat16Exact(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0xFFFF) != 0)
        {
            throw new ArgumentException($"{value} is not exact in bfloat16", nameof(value));
        }

        return (ushort)(bits >> 16);
    }

    private static string NonFinite(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";

    private static double ReadDouble(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new InvalidDataException($"'{other}' is not a float"),
        },
        _ => throw new InvalidDataException($"{e.ValueKind} is not a float"),
    };

    private static void Flatten(string datatype, JsonElement data, List<object> values)
    {
        if (data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                Flatten(datatype, item, values);
            }
        }
        else
        {
            values.Add(FromJsonElement(datatype, data));
        }
    }
}
