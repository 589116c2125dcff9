using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Inference.Plugins.Sdk;

namespace Inference.Samples.Digits;

/// <summary>
/// Decodes non-interlaced 8-bit PNGs (grey, grey+alpha, RGB, RGBA) into a pooled buffer. Every chunk's
/// CRC is checked; anything it cannot or will not read is refused with the code that says why.
/// </summary>
internal static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static DecodedImage Decode(ReadOnlySpan<byte> png, ArrayPool<byte> pool)
    {
        if (png.Length == 0)
        {
            throw new PluginException(DigitsErrors.Truncated, "the PNG is empty (0 bytes)");
        }

        if (!png[..Math.Min(png.Length, Signature.Length)].SequenceEqual(Signature[..Math.Min(png.Length, Signature.Length)]))
        {
            throw new PluginException(DigitsErrors.NotAnImage, $"not a PNG: it starts with {Convert.ToHexString(png[..Math.Min(png.Length, 8)])}, not the PNG signature 89504E470D0A1A0A");
        }

        if (png.Length < Signature.Length)
        {
            throw new PluginException(DigitsErrors.Truncated, $"the PNG ends after {png.Length} bytes, inside its signature");
        }

        var (width, height, channels, compressedLength) = ReadChunks(png);
        var compressed = pool.Rent(compressedLength);
        try
        {
            CopyImageData(png, compressed);
            return Inflate(compressed, compressedLength, width, height, channels, pool);
        }
        finally
        {
            pool.Return(compressed);
        }
    }

    /// <summary>Walks the chunks up to IEND: checks CRCs and order, reads IHDR, and adds up the IDAT data.</summary>
    private static (int Width, int Height, int Channels, int CompressedLength) ReadChunks(ReadOnlySpan<byte> png)
    {
        int width = 0, height = 0, channels = 0;
        var compressed = 0;
        for (var offset = Signature.Length; ; )
        {
            var at = offset;
            var type = NextChunk(png, ref offset, out var data);
            if (at == Signature.Length)
            {
                if (type != "IHDR")
                {
                    throw new PluginException(DigitsErrors.Malformed, $"the first chunk is '{type}'; a PNG starts with IHDR");
                }

                (width, height, channels) = ReadHeader(data);
                continue;
            }

            switch (type)
            {
                case "IHDR":
                    throw new PluginException(DigitsErrors.Malformed, $"a second IHDR chunk at byte {at}");
                case "IDAT":
                    compressed += data.Length;
                    break;
                case "IEND":
                    if (compressed == 0)
                    {
                        throw new PluginException(DigitsErrors.Malformed, "the PNG has no IDAT chunk: there is no image data");
                    }

                    return (width, height, channels, compressed);
                case "PLTE":
                    break; // a suggested palette for RGB images; not needed to read the pixels
                default:
                    // Bit 5 of the first letter clear marks a critical chunk: one a decoder must understand to read the image.
                    if ((type[0] & 0x20) == 0)
                    {
                        throw new PluginException(DigitsErrors.Unsupported, $"the PNG has a critical chunk '{type}' this decoder does not know");
                    }

                    break;
            }
        }
    }

    /// <summary>The type and data of the chunk at <paramref name="offset"/> (checked against its CRC); advances past it.</summary>
    private static string NextChunk(ReadOnlySpan<byte> png, ref int offset, out ReadOnlySpan<byte> data)
    {
        if (png.Length - offset < 8)
        {
            throw new PluginException(DigitsErrors.Truncated, $"the PNG ends at byte {png.Length}, before its IEND chunk");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
        var typeBytes = png.Slice(offset + 4, 4);
        foreach (var c in typeBytes)
        {
            if (!char.IsAsciiLetter((char)c))
            {
                throw new PluginException(DigitsErrors.Malformed, $"the chunk at byte {offset} has type {Convert.ToHexString(typeBytes)}, not four ASCII letters");
            }
        }

        var type = Encoding.ASCII.GetString(typeBytes);
        if (length > int.MaxValue || png.Length - offset - 12 < length)
        {
            throw new PluginException(DigitsErrors.Truncated, $"the '{type}' chunk at byte {offset} declares {length} bytes of data; the PNG ends first, at byte {png.Length}");
        }

        data = png.Slice(offset + 8, (int)length);
        var stored = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
        var computed = Crc32.Compute(png.Slice(offset + 4, 4 + (int)length));
        if (stored != computed)
        {
            throw new PluginException(DigitsErrors.Crc, $"the '{type}' chunk at byte {offset} fails its CRC check (stored {stored:x8}, computed {computed:x8}): the file is damaged");
        }

        offset += 12 + (int)length;
        return type;
    }

    private static (int Width, int Height, int Channels) ReadHeader(ReadOnlySpan<byte> ihdr)
    {
        if (ihdr.Length != 13)
        {
            throw new PluginException(DigitsErrors.Malformed, $"IHDR has {ihdr.Length} bytes; it must have 13");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        byte bitDepth = ihdr[8], colourType = ihdr[9], compression = ihdr[10], filter = ihdr[11], interlace = ihdr[12];
        if (width == 0 || height == 0)
        {
            throw new PluginException(DigitsErrors.ZeroSize, $"the PNG is {width}x{height} pixels: it has no pixels");
        }

        if (width > DecodedImage.MaxSide || height > DecodedImage.MaxSide)
        {
            throw new PluginException(DigitsErrors.TooLarge, $"the PNG is {width}x{height} pixels; at most {DecodedImage.MaxSide}x{DecodedImage.MaxSide} are accepted");
        }

        if (compression != 0 || filter != 0)
        {
            throw new PluginException(DigitsErrors.Malformed, $"IHDR gives compression method {compression} and filter method {filter}; PNG defines only 0");
        }

        if (interlace == 1)
        {
            throw new PluginException(DigitsErrors.Interlaced, "the PNG is interlaced (Adam7); save it without interlacing");
        }

        if (interlace != 0)
        {
            throw new PluginException(DigitsErrors.Malformed, $"IHDR gives interlace method {interlace}; PNG defines 0 and 1");
        }

        var channels = colourType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, 3 => -1, _ => 0 };
        if (channels == 0 || !IsValidDepth(colourType, bitDepth))
        {
            throw new PluginException(DigitsErrors.Malformed, $"IHDR gives colour type {colourType} with bit depth {bitDepth}, which PNG does not define");
        }

        if (channels < 0 || bitDepth != 8)
        {
            var kind = channels < 0 ? "palette" : $"{bitDepth}-bit";
            throw new PluginException(DigitsErrors.Unsupported, $"the PNG is {kind} (colour type {colourType}, bit depth {bitDepth}); this plugin reads 8-bit grey, grey+alpha, RGB and RGBA");
        }

        return ((int)width, (int)height, channels);
    }

    private static bool IsValidDepth(byte colourType, byte bitDepth) => colourType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        _ => bitDepth is 8 or 16,
    };

    /// <summary>Concatenates the IDAT chunks' data (already validated by <see cref="ReadChunks"/>).</summary>
    private static void CopyImageData(ReadOnlySpan<byte> png, byte[] destination)
    {
        var written = 0;
        for (var offset = Signature.Length; ; )
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (type.SequenceEqual("IDAT"u8))
            {
                png.Slice(offset + 8, length).CopyTo(destination.AsSpan(written));
                written += length;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                return;
            }

            offset += 12 + length;
        }
    }

    private static DecodedImage Inflate(byte[] compressed, int compressedLength, int width, int height, int channels, ArrayPool<byte> pool)
    {
        var stride = width * channels;
        var expected = height * (stride + 1); // at most 4096 * 16385: fits an int
        var raw = pool.Rent(expected);
        try
        {
            var read = 0;
            try
            {
                using var zlib = new ZLibStream(new MemoryStream(compressed, 0, compressedLength, writable: false), CompressionMode.Decompress);
                read = zlib.ReadAtLeast(raw.AsSpan(0, expected), expected, throwOnEndOfStream: false);
                if (read == expected)
                {
                    // Reading on to the end of the stream makes the inflater check the Adler-32 trailer too.
                    Span<byte> more = stackalloc byte[1];
                    if (zlib.Read(more) != 0)
                    {
                        throw new PluginException(DigitsErrors.Malformed, $"the image data inflates to more than the {expected} bytes a {width}x{height} image with {channels} channel(s) has");
                    }
                }
            }
            catch (InvalidDataException e)
            {
                throw new PluginException(DigitsErrors.Zlib, $"the PNG's compressed image data is corrupt: {e.Message}");
            }

            if (read < expected)
            {
                throw new PluginException(DigitsErrors.Truncated, $"the image data inflates to {read} bytes; a {width}x{height} image with {channels} channel(s) needs {expected}");
            }

            for (var y = 0; y < height; y++)
            {
                var row = raw.AsSpan(y * (stride + 1) + 1, stride);
                var previous = y == 0 ? default : raw.AsSpan((y - 1) * (stride + 1) + 1, stride);
                var type = raw[y * (stride + 1)];
                if (!PngFilter.TryUnfilter(type, row, previous, channels))
                {
                    throw new PluginException(DigitsErrors.Malformed, $"row {y} has filter type {type}; PNG defines 0 to 4");
                }
            }

            // Drop the filter bytes: row y moves from y * (stride + 1) + 1 to y * stride, never ahead of its source.
            for (var y = 0; y < height; y++)
            {
                raw.AsSpan(y * (stride + 1) + 1, stride).CopyTo(raw.AsSpan(y * stride, stride));
            }

            return new DecodedImage(width, height, channels, raw, pool);
        }
        catch
        {
            pool.Return(raw);
            throw;
        }
    }
}
