using System.Buffers;

namespace Inference.Samples.Digits;

/// <summary>
/// Colour to one grey channel: luma with the BT.601 weights (0.299 R + 0.587 G + 0.114 B), and alpha
/// composited over white, so that a digit drawn on a transparent canvas reads as ink on paper.
/// Integer arithmetic, rounded to nearest.
/// </summary>
internal static class Grayscale
{
    public static DecodedImage Convert(DecodedImage image, ArrayPool<byte> pool)
    {
        var count = image.Width * image.Height;
        var buffer = pool.Rent(count);
        var grey = buffer.AsSpan(0, count);
        var pixels = image.Pixels;
        switch (image.Channels)
        {
            case 1:
                pixels.CopyTo(grey);
                break;
            case 2:
                for (var i = 0; i < count; i++)
                {
                    grey[i] = OverWhite(pixels[2 * i], pixels[(2 * i) + 1]);
                }

                break;
            case 3:
                for (var i = 0; i < count; i++)
                {
                    grey[i] = Luma(pixels[3 * i], pixels[(3 * i) + 1], pixels[(3 * i) + 2]);
                }

                break;
            case 4:
                for (var i = 0; i < count; i++)
                {
                    grey[i] = OverWhite(Luma(pixels[4 * i], pixels[(4 * i) + 1], pixels[(4 * i) + 2]), pixels[(4 * i) + 3]);
                }

                break;
            default:
                pool.Return(buffer);
                throw new ArgumentException($"images have 1 to 4 channels, not {image.Channels}", nameof(image));
        }

        return new DecodedImage(image.Width, image.Height, 1, buffer, pool);
    }

    public static byte Luma(byte r, byte g, byte b) => (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);

    public static byte OverWhite(byte grey, byte alpha) => (byte)(((grey * alpha) + (255 * (255 - alpha)) + 127) / 255);
}
