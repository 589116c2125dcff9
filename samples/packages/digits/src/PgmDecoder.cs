using System.Buffers;
using Inference.Plugins.Sdk;

namespace Inference.Samples.Digits;

/// <summary>
/// Decodes a binary PGM (netpbm P5): a text header (width, height, maxval, with # comments) and the grey
/// samples, one byte each for maxval below 256, else two big-endian. Samples are scaled to 0..255.
/// </summary>
internal static class PgmDecoder
{
    public static DecodedImage Decode(ReadOnlySpan<byte> pgm, ArrayPool<byte> pool)
    {
        if (pgm.Length == 0)
        {
            throw new PluginException(DigitsErrors.Truncated, "the PGM is empty (0 bytes)");
        }

        if (pgm.Length < 2 || pgm[0] != 'P' || pgm[1] is < (byte)'1' or > (byte)'7')
        {
            throw new PluginException(DigitsErrors.NotAnImage, $"not a PGM: it starts with {Convert.ToHexString(pgm[..Math.Min(pgm.Length, 8)])}, not the magic number P5");
        }

        if (pgm[1] == '2')
        {
            throw new PluginException(DigitsErrors.Unsupported, "the PGM is plain (P2, ASCII samples); this plugin reads binary PGM (P5)");
        }

        if (pgm[1] != '5')
        {
            throw new PluginException(DigitsErrors.NotAnImage, $"not a PGM: P{(char)pgm[1]} is another netpbm format (P5 is binary PGM)");
        }

        var position = 2;
        var width = ReadNumber(pgm, ref position, "width");
        var height = ReadNumber(pgm, ref position, "height");
        var maxValue = ReadNumber(pgm, ref position, "maxval");
        if (position == pgm.Length)
        {
            throw new PluginException(DigitsErrors.Truncated, "the PGM ends right after its header");
        }

        if (!IsWhitespace(pgm[position]))
        {
            throw new PluginException(DigitsErrors.Malformed, $"the PGM header's maxval is followed by '{(char)pgm[position]}' at byte {position}, not by one whitespace character");
        }

        position++;
        if (width == 0 || height == 0)
        {
            throw new PluginException(DigitsErrors.ZeroSize, $"the PGM is {width}x{height} pixels: it has no pixels");
        }

        if (width > DecodedImage.MaxSide || height > DecodedImage.MaxSide)
        {
            throw new PluginException(DigitsErrors.TooLarge, $"the PGM is {width}x{height} pixels; at most {DecodedImage.MaxSide}x{DecodedImage.MaxSide} are accepted");
        }

        if (maxValue is 0 or > 65535)
        {
            throw new PluginException(DigitsErrors.Malformed, $"the PGM's maxval is {maxValue}; it must be 1 to 65535");
        }

        var pixels = (int)(width * height);
        var bytesPerSample = maxValue < 256 ? 1 : 2;
        if (pgm.Length - position < (long)pixels * bytesPerSample)
        {
            throw new PluginException(DigitsErrors.Truncated, $"the PGM's samples end after {pgm.Length - position} bytes; {width}x{height} with maxval {maxValue} needs {(long)pixels * bytesPerSample}");
        }

        var samples = pgm.Slice(position, pixels * bytesPerSample);
        var buffer = pool.Rent(pixels);
        try
        {
            Scale(samples, buffer.AsSpan(0, pixels), bytesPerSample, (int)maxValue);
            return new DecodedImage((int)width, (int)height, 1, buffer, pool);
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    private static void Scale(ReadOnlySpan<byte> samples, Span<byte> grey, int bytesPerSample, int maxValue)
    {
        if (maxValue == 255)
        {
            samples.CopyTo(grey);
            return;
        }

        for (var i = 0; i < grey.Length; i++)
        {
            var value = bytesPerSample == 1 ? samples[i] : (samples[2 * i] << 8) | samples[(2 * i) + 1];
            if (value > maxValue)
            {
                throw new PluginException(DigitsErrors.Malformed, $"sample {i} of the PGM is {value}, above its maxval {maxValue}");
            }

            grey[i] = (byte)(((value * 255) + (maxValue / 2)) / maxValue);
        }
    }

    /// <summary>Reads a decimal header field after at least one whitespace character or comment.</summary>
    private static long ReadNumber(ReadOnlySpan<byte> pgm, ref int position, string field)
    {
        var start = position;
        while (position < pgm.Length && (IsWhitespace(pgm[position]) || pgm[position] == '#'))
        {
            if (pgm[position] == '#')
            {
                while (position < pgm.Length && pgm[position] is not (byte)'\n' and not (byte)'\r')
                {
                    position++;
                }
            }
            else
            {
                position++;
            }
        }

        if (position == pgm.Length)
        {
            throw new PluginException(DigitsErrors.Truncated, $"the PGM header ends before its {field}");
        }

        if (position == start || !char.IsAsciiDigit((char)pgm[position]))
        {
            throw new PluginException(DigitsErrors.Malformed, $"the PGM header's {field} is not a number: found '{(char)pgm[position]}' at byte {position}");
        }

        long value = 0;
        for (; position < pgm.Length && char.IsAsciiDigit((char)pgm[position]); position++)
        {
            // Saturate: anything this large is refused anyway, and must not wrap around into a small number.
            value = Math.Min((value * 10) + (pgm[position] - '0'), int.MaxValue);
        }

        return value;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;
}
