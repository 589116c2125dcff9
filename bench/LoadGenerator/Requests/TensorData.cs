using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Inference.LoadGenerator.Requests;

/// <summary>
/// Pseudo-random tensor contents in the binary extension's layout (little-endian elements; BYTES as
/// a 4-byte length and the bytes), and the same values written as a JSON <c>data</c> array, so a JSON
/// and a binary body generated from one seed carry identical tensors. Floats lie in [-1, 1) and are
/// exactly representable in their type; integers are small enough for every type.
/// </summary>
internal static class TensorData
{
    public static byte[] Generate(TensorSpec spec, Random random)
    {
        var count = checked((int)spec.ElementCount);
        if (spec.Datatype == OipDatatype.BYTES)
        {
            var text = new MemoryStream();
            Span<byte> length = stackalloc byte[4];
            for (var i = 0; i < count; i++)
            {
                var element = Encoding.UTF8.GetBytes($"v{random.Next(1000)}");
                BinaryPrimitives.WriteInt32LittleEndian(length, element.Length);
                text.Write(length);
                text.Write(element);
            }

            return text.ToArray();
        }

        var size = SizeOf(spec.Datatype);
        var bytes = new byte[count * size];
        for (var i = 0; i < count; i++)
        {
            WriteElement(spec.Datatype, bytes.AsSpan(i * size, size), random);
        }

        return bytes;
    }

    public static int SizeOf(OipDatatype datatype) => datatype switch
    {
        OipDatatype.BOOL or OipDatatype.UINT8 or OipDatatype.INT8 => 1,
        OipDatatype.UINT16 or OipDatatype.INT16 or OipDatatype.FP16 or OipDatatype.BF16 => 2,
        OipDatatype.UINT32 or OipDatatype.INT32 or OipDatatype.FP32 => 4,
        OipDatatype.UINT64 or OipDatatype.INT64 or OipDatatype.FP64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, "BYTES elements have no fixed size"),
    };

    /// <summary>Writes <paramref name="data"/> (as <see cref="Generate"/> lays it out) as a flat JSON array.</summary>
    public static void WriteJson(Utf8JsonWriter json, OipDatatype datatype, ReadOnlySpan<byte> data)
    {
        json.WriteStartArray();
        if (datatype == OipDatatype.BYTES)
        {
            while (!data.IsEmpty)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(data);
                json.WriteStringValue(Encoding.UTF8.GetString(data.Slice(4, length)));
                data = data[(4 + length)..];
            }
        }
        else
        {
            var size = SizeOf(datatype);
            for (var offset = 0; offset < data.Length; offset += size)
            {
                WriteJsonElement(json, datatype, data.Slice(offset, size));
            }
        }

        json.WriteEndArray();
    }

    private static void WriteElement(OipDatatype datatype, Span<byte> target, Random random)
    {
        switch (datatype)
        {
            case OipDatatype.BOOL:
                target[0] = (byte)random.Next(2);
                break;
            case OipDatatype.UINT8:
                target[0] = (byte)random.Next(100);
                break;
            case OipDatatype.INT8:
                target[0] = (byte)(sbyte)random.Next(-50, 50);
                break;
            case OipDatatype.UINT16:
                BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)random.Next(100));
                break;
            case OipDatatype.INT16:
                BinaryPrimitives.WriteInt16LittleEndian(target, (short)random.Next(-50, 50));
                break;
            case OipDatatype.UINT32:
                BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)random.Next(100));
                break;
            case OipDatatype.INT32:
                BinaryPrimitives.WriteInt32LittleEndian(target, random.Next(-50, 50));
                break;
            case OipDatatype.UINT64:
                BinaryPrimitives.WriteUInt64LittleEndian(target, (ulong)random.Next(100));
                break;
            case OipDatatype.INT64:
                BinaryPrimitives.WriteInt64LittleEndian(target, random.Next(-50, 50));
                break;
            case OipDatatype.FP16:
                BinaryPrimitives.WriteHalfLittleEndian(target, (Half)((random.NextSingle() * 2) - 1));
                break;
            case OipDatatype.BF16:
                // bfloat16 is the top half of a float's bits: truncating keeps the value exact in both.
                var bits = BitConverter.SingleToUInt32Bits((random.NextSingle() * 2) - 1);
                BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)(bits >> 16));
                break;
            case OipDatatype.FP32:
                BinaryPrimitives.WriteSingleLittleEndian(target, (random.NextSingle() * 2) - 1);
                break;
            case OipDatatype.FP64:
                BinaryPrimitives.WriteDoubleLittleEndian(target, (random.NextDouble() * 2) - 1);
                break;
        }
    }

    private static void WriteJsonElement(Utf8JsonWriter json, OipDatatype datatype, ReadOnlySpan<byte> element)
    {
        switch (datatype)
        {
            case OipDatatype.BOOL:
                json.WriteBooleanValue(element[0] != 0);
                break;
            case OipDatatype.UINT8:
                json.WriteNumberValue(element[0]);
                break;
            case OipDatatype.INT8:
                json.WriteNumberValue((sbyte)element[0]);
                break;
            case OipDatatype.UINT16:
                json.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(element));
                break;
            case OipDatatype.INT16:
                json.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(element));
                break;
            case OipDatatype.UINT32:
                json.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(element));
                break;
            case OipDatatype.INT32:
                json.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(element));
                break;
            case OipDatatype.UINT64:
                json.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(element));
                break;
            case OipDatatype.INT64:
                json.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(element));
                break;
            case OipDatatype.FP16:
                json.WriteNumberValue((float)BinaryPrimitives.ReadHalfLittleEndian(element));
                break;
            case OipDatatype.BF16:
                json.WriteNumberValue(BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(element) << 16));
                break;
            case OipDatatype.FP32:
                json.WriteNumberValue(BinaryPrimitives.ReadSingleLittleEndian(element));
                break;
            case OipDatatype.FP64:
                json.WriteNumberValue(BinaryPrimitives.ReadDoubleLittleEndian(element));
                break;
        }
    }
}
