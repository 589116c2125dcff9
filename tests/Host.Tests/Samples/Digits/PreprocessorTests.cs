using Inference.Plugins.Sdk;
using Inference.Samples.Digits;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// The plugin's pre-processing against two references: a direct, unoptimised computation written here
/// (per cell, per pixel, the overlapping area), and the training script's own numpy pipeline, whose
/// features for every held-out image are in heldout.csv. The model was trained on the latter; a plugin
/// that drifts from it would serve a model on inputs it never saw.
/// </summary>
public sealed class PreprocessorTests
{
    [Fact]
    public void MatchesTheTrainingPipelineOnEveryHeldOutImage()
    {
        var features = new float[64];
        var worst = 0.0;
        foreach (var image in HeldOutSet.All)
        {
            Preprocessor.Canonicalize(TestImages.Render(image.Values), 64, 64, features);
            worst = Math.Max(worst, features.Zip(image.Features, (a, b) => Math.Abs(a - b)).Max());
        }

        Assert.True(HeldOutSet.All.Count >= 100, $"{HeldOutSet.All.Count} held-out images");
        Assert.True(worst < 1e-4, $"largest difference from the training script's features: {worst}");
    }

    [Theory]
    [InlineData(64, 64, 0, 0, false)]
    [InlineData(64, 64, 0, 0, true)]
    [InlineData(53, 37, 5, 11, false)]   // fractional cells, digit off centre, non-square canvas
    [InlineData(23, 90, 40, 2, true)]    // ink box at the canvas edge: the square crop reaches outside it
    public void MatchesADirectComputation(int cellWidthTimes8, int cellHeightTimes8, int left, int top, bool darkOnLight)
    {
        var image = HeldOutSet.All.First(i => i.Label == 5);
        var (grey, width, height) = Place(image.Values, cellWidthTimes8, cellHeightTimes8, left, top, darkOnLight);
        var features = new float[64];

        Preprocessor.Canonicalize(grey, width, height, features);

        var expected = Reference(grey, width, height);
        for (var i = 0; i < 64; i++)
        {
            Assert.True(Math.Abs(expected[i] - features[i]) < 1e-4, $"cell {i}: {features[i]}, expected {expected[i]}");
        }

        Assert.InRange(features.Max(), 1f, 16f);
    }

    [Fact]
    public void InkOnLightOrDarkGivesTheSameFeatures()
    {
        var image = HeldOutSet.All[0];
        float[] light = new float[64], dark = new float[64];

        Preprocessor.Canonicalize(TestImages.Render(image.Values), 64, 64, light);
        Preprocessor.Canonicalize(TestImages.Render(image.Values, inverted: true), 64, 64, dark);

        Assert.Equal(light, dark);
        Assert.NotEqual(new float[64], light);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(200, 15)]
    [InlineData(255, 0)]
    public void AFlatImageIsBlank(byte background, int contrast)
    {
        var grey = Enumerable.Repeat(background, 32 * 32).ToArray();
        grey[(16 * 32) + 16] = (byte)(background > 127 ? background - contrast : background + contrast);

        var e = Assert.Throws<PluginException>(() => Preprocessor.Canonicalize(grey, 32, 32, new float[64]));

        Assert.Equal(DigitsErrors.Blank, e.Code);
    }

    [Fact]
    public void ContrastOfSixteenLevelsIsEnough()
    {
        var grey = Enumerable.Repeat((byte)200, 32 * 32).ToArray();
        grey[(16 * 32) + 16] = 184;
        var features = new float[64];

        Preprocessor.Canonicalize(grey, 32, 32, features);

        // One dark dot on light paper becomes one bright dot filling the crop: inner cells full, the rim partly.
        Assert.Equal(16f, features.Max());
        Assert.True(features.Min() > 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void GreyConversionFollowsBt601AndCompositesOverWhite(int channels)
    {
        // Random colours, plus the pure primaries, full transparency and half transparency.
        var random = new Random(channels);
        var samples = new byte[1000 * channels];
        random.NextBytes(samples);
        byte[] edges = channels switch { 2 => [0, 0, 0, 255, 200, 128], 3 => [255, 0, 0, 0, 255, 0, 0, 0, 255], _ => [255, 0, 0, 255, 10, 20, 30, 0, 0, 0, 0, 128] };
        edges.CopyTo(samples, 0);
        var pool = new CountingPool();
        var buffer = pool.Rent(samples.Length);
        samples.CopyTo(buffer, 0);

        using (var source = new DecodedImage(1000, 1, channels, buffer, pool))
        using (var grey = Grayscale.Convert(source, pool))
        {
            var expected = Enumerable.Range(0, 1000).Select(i => Expected(samples.AsSpan(i * channels, channels))).ToArray();
            Assert.Equal(expected, grey.Pixels.ToArray());
        }

        Assert.Equal(0, pool.Outstanding);
    }

    /// <summary>BT.601 luma and "over white", in decimal so that no rounding of the reference hides a wrong weight.</summary>
    private static byte Expected(ReadOnlySpan<byte> pixel)
    {
        decimal luma = pixel.Length < 3 ? pixel[0] : (0.299m * pixel[0]) + (0.587m * pixel[1]) + (0.114m * pixel[2]);
        luma = Math.Round(luma, MidpointRounding.AwayFromZero);
        if (pixel.Length is 2 or 4)
        {
            decimal alpha = pixel[^1];
            luma = Math.Round(((luma * alpha) + (255 * (255 - alpha))) / 255, MidpointRounding.AwayFromZero);
        }

        return (byte)luma;
    }

    /// <summary>The 8x8 digit drawn with cells of (w/8, h/8) pixels at (left, top) on a canvas with a 30-pixel border right and below.</summary>
    private static (byte[] Grey, int Width, int Height) Place(byte[] values, int w, int h, int left, int top, bool darkOnLight)
    {
        int width = left + w + 30, height = top + h + 30;
        var grey = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                int cx = (x - left) * 8 / w, cy = (y - top) * 8 / h;
                var inside = x >= left && y >= top && cx < 8 && cy < 8;
                var v = inside ? (byte)(((values[(cy * 8) + cx] * 255) + 8) / 16) : (byte)0;
                grey[(y * width) + x] = darkOnLight ? (byte)(255 - v) : v;
            }
        }

        return (grey, width, height);
    }

    /// <summary>
    /// The pre-processing as the plugin documents it, the slow way: each of the 64 cells is a square on
    /// the image; each pixel adds its normalised ink times the area it shares with the cell.
    /// </summary>
    private static double[] Reference(byte[] grey, int width, int height)
    {
        var border = Enumerable.Range(0, width).SelectMany(x => new[] { grey[x], grey[((height - 1) * width) + x] })
            .Concat(Enumerable.Range(1, height - 2).SelectMany(y => new[] { grey[y * width], grey[(y * width) + width - 1] }));
        var ink = border.Average(b => (double)b) > 127.5 ? grey.Select(v => 255.0 - v).ToArray() : grey.Select(v => (double)v).ToArray();
        double low = ink.Min(), high = ink.Max();
        var n = ink.Select(v => (v - low) / (high - low)).ToArray();
        var marked = Enumerable.Range(0, n.Length).Where(i => n[i] > 0.05).ToList();
        int x0 = marked.Min(i => i % width), x1 = marked.Max(i => i % width) + 1, y0 = marked.Min(i => i / width), y1 = marked.Max(i => i / width) + 1;
        var side = Math.Max(x1 - x0, y1 - y0) * 1.1;
        double originX = ((x0 + x1) / 2.0) - (side / 2), originY = ((y0 + y1) / 2.0) - (side / 2), cell = side / 8;
        var result = new double[64];
        for (var i = 0; i < 8; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                double cx0 = originX + (j * cell), cx1 = cx0 + cell, cy0 = originY + (i * cell), cy1 = cy0 + cell;
                var sum = 0.0;
                for (var y = 0; y < height; y++)
                {
                    var overlapY = Math.Min(cy1, y + 1) - Math.Max(cy0, y);
                    for (var x = 0; overlapY > 0 && x < width; x++)
                    {
                        var overlapX = Math.Min(cx1, x + 1) - Math.Max(cx0, x);
                        if (overlapX > 0)
                        {
                            sum += overlapX * overlapY * n[(y * width) + x];
                        }
                    }
                }

                result[(i * 8) + j] = sum / (cell * cell) * 16;
            }
        }

        return result;
    }
}
