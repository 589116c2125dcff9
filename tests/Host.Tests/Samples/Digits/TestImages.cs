using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// Writes the images the tests send: dataset digits rendered as the training script renders them, and
/// PNGs and PGMs built chunk by chunk, so that a test can damage exactly one thing. Its CRC is a
/// bit-at-a-time loop, not the plugin's table, so the two cannot share a mistake.
/// </summary>
internal static class TestImages
{
    public const int Upscale = 8;

    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>8x8 dataset values (0..16) as a 64x64 grey image, each cell an 8x8 block: train_digits.py's render().</summary>
    public static byte[] Render(byte[] values, bool inverted = false)
    {
        const int side = 8 * Upscale;
        var grey = new byte[side * side];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var v = (byte)(((values[((y / Upscale) * 8) + (x / Upscale)] * 255) + 8) / 16);
                grey[(y * side) + x] = inverted ? (byte)(255 - v) : v;
            }
        }

        return grey;
    }

    /// <summary>A non-interlaced 8-bit PNG, every row filter type 0, one IDAT.</summary>
    public static byte[] Png(int width, int height, int colourType, byte[] pixels) =>
        Assemble(Ihdr(width, height, 8, colourType, 0), Zlib(Scanlines(width * Channels(colourType), height, pixels)));

    public static byte[] Assemble(byte[] ihdr, byte[] idat) =>
        [.. Signature, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", idat), .. Chunk("IEND", [])];

    public static byte[] Ihdr(long width, long height, byte bitDepth, int colourType, byte interlace, byte compression = 0, byte filter = 0)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = bitDepth;
        ihdr[9] = (byte)colourType;
        ihdr[10] = compression;
        ihdr[11] = filter;
        ihdr[12] = interlace;
        return ihdr;
    }

    /// <summary>Rows of <paramref name="stride"/> bytes, each behind a filter-type byte (0 unless given).</summary>
    public static byte[] Scanlines(int stride, int height, byte[] pixels, byte filterType = 0)
    {
        var raw = new byte[height * (stride + 1)];
        for (var y = 0; y < height; y++)
        {
            raw[y * (stride + 1)] = filterType;
            pixels.AsSpan(y * stride, stride).CopyTo(raw.AsSpan((y * (stride + 1)) + 1));
        }

        return raw;
    }

    public static byte[] Zlib(byte[] raw)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return buffer.ToArray();
    }

    public static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typeBytes.CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc([.. typeBytes, .. data]));
        return chunk;
    }

    public static byte[] Pgm(int width, int height, byte[] pixels, int maxValue = 255) =>
        [.. Encoding.ASCII.GetBytes($"P5\n{width} {height}\n{maxValue}\n"), .. pixels];

    public static int Channels(int colourType) => colourType switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw new ArgumentOutOfRangeException(nameof(colourType)) };

    /// <summary>CRC-32 as the PNG specification's sample code computes it, one bit at a time.</summary>
    public static uint Crc(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
