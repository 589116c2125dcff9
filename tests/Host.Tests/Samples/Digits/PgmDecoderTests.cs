using System.Text;
using Inference.Plugins.Sdk;
using Inference.Samples.Digits;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>The digits plugin's binary PGM (P5) decoder: header syntax, 8- and 16-bit samples, and its refusals.</summary>
public sealed class PgmDecoderTests
{
    [Theory]
    [InlineData("pgm_comments", 6, 5)]
    [InlineData("pgm_16bit", 3, 4)]
    public void DecodesFixtures(string name, int width, int height)
    {
        var pool = new CountingPool();

        using (var image = PgmDecoder.Decode(File.ReadAllBytes(DigitsPaths.Fixture(name + ".pgm")), pool))
        {
            Assert.Equal((width, height, 1), (image.Width, image.Height, image.Channels));
            Assert.Equal(File.ReadAllBytes(DigitsPaths.Fixture(name + ".raw")), image.Pixels.ToArray());
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void ScalesSamplesToTheFullGreyRange()
    {
        // maxval 4: 0..4 become 0, 64, 128, 191, 255 (rounded to nearest).
        using var image = PgmDecoder.Decode(TestImages.Pgm(5, 1, [0, 1, 2, 3, 4], maxValue: 4), new CountingPool());

        Assert.Equal(Enumerable.Range(0, 5).Select(v => (byte)Math.Round(v * 255 / 4.0, MidpointRounding.AwayFromZero)), image.Pixels.ToArray());
    }

    [Fact]
    public void KeepsTheRasterExactlyWhenMaxvalIs255AndIgnoresWhatFollows()
    {
        var pixels = Enumerable.Range(0, 12).Select(i => (byte)(i * 21)).ToArray();

        using var image = PgmDecoder.Decode([.. TestImages.Pgm(4, 3, pixels), .. "P5 next image"u8], new CountingPool());

        Assert.Equal(pixels, image.Pixels.ToArray());
    }

    [Theory]
    [InlineData("", DigitsErrors.Truncated, "empty")]
    [InlineData("P", DigitsErrors.NotAnImage, "not a PGM")]
    [InlineData("GIF89a", DigitsErrors.NotAnImage, "not a PGM")]
    [InlineData("P6\n1 1\n255\nabc", DigitsErrors.NotAnImage, "P6 is another netpbm format")]
    [InlineData("P2\n1 1\n255\n7\n", DigitsErrors.Unsupported, "plain (P2")]
    [InlineData("P5\n4 4", DigitsErrors.Truncated, "ends before its maxval")]
    [InlineData("P5\n4 4\n255", DigitsErrors.Truncated, "ends right after its header")]
    [InlineData("P5\n2 2\n255\nabc", DigitsErrors.Truncated, "end after 3 bytes")]
    [InlineData("P5\n2 2\n1000\nabcdef", DigitsErrors.Truncated, "needs 8")]
    [InlineData("P5\n0 4\n255\n", DigitsErrors.ZeroSize, "0x4")]
    [InlineData("P5\n4 0\n255\n", DigitsErrors.ZeroSize, "4x0")]
    [InlineData("P5\n4097 1\n255\n", DigitsErrors.TooLarge, "4097x1")]
    [InlineData("P5\n99999999999999999999 1\n255\n", DigitsErrors.TooLarge, "2147483647x1")]
    [InlineData("P54 4\n255\n", DigitsErrors.Malformed, "width is not a number")]
    [InlineData("P5\nfour 4\n255\n", DigitsErrors.Malformed, "width is not a number")]
    [InlineData("P5\n4 -4\n255\n", DigitsErrors.Malformed, "height is not a number")]
    [InlineData("P5\n1 1\n0\nx", DigitsErrors.Malformed, "maxval is 0")]
    [InlineData("P5\n1 1\n70000\nxx", DigitsErrors.Malformed, "maxval is 70000")]
    [InlineData("P5\n1 1\n255x", DigitsErrors.Malformed, "followed by 'x'")]
    [InlineData("P5\n2 1\n100\n\x05\x65", DigitsErrors.Malformed, "sample 1 of the PGM is 101, above its maxval 100")]
    public void RefusesBadImagesWithTheirCode(string text, int code, string message)
    {
        var pool = new CountingPool();

        var e = Assert.Throws<PluginException>(() => PgmDecoder.Decode(Encoding.Latin1.GetBytes(text), pool).Dispose());

        Assert.Equal(code, e.Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, pool.Outstanding);
    }
}
