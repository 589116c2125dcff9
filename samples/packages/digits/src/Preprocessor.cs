using Inference.Plugins.Sdk;

namespace Inference.Samples.Digits;

/// <summary>
/// Turns a grey image of one digit into the model's 64 inputs, the way the training script prepared the
/// training images (src/training/train_digits.py, canonicalize): the model was trained on exactly this,
/// so any change here must be made there too and the model retrained.
/// <list type="number">
/// <item>Light ink on dark, as in the dataset: inverted when the border is light on average.</item>
/// <item>Contrast stretched to 0..1 between the darkest and lightest grey.</item>
/// <item>Cropped to a square around the ink's bounding box (pixels above <see cref="Ink"/>), centred,
/// with a <see cref="Margin"/> on each side; outside the image counts as background.</item>
/// <item>Area-averaged into 8x8 cells (partial pixels weighted by the area they cover), scaled to 0..16.</item>
/// </list>
/// </summary>
internal static class Preprocessor
{
    public const int Grid = 8;
    public const int Features = Grid * Grid;
    public const double Ink = 0.05;
    public const double Margin = 0.05;
    public const int MinContrast = 16;
    public const float MaxValue = 16;

    public static void Canonicalize(ReadOnlySpan<byte> grey, int width, int height, Span<float> features)
    {
        if (grey.Length != width * height || features.Length != Features)
        {
            throw new ArgumentException($"a {width}x{height} grey image and {Features} features expected");
        }

        var invert = BorderMean(grey, width, height) > 127.5;
        byte darkest = 255, lightest = 0;
        foreach (var v in grey)
        {
            darkest = Math.Min(darkest, v);
            lightest = Math.Max(lightest, v);
        }

        double low = invert ? 255 - lightest : darkest, high = invert ? 255 - darkest : lightest;
        if (high - low < MinContrast)
        {
            throw new PluginException(DigitsErrors.Blank, $"the image has no ink: its grey levels span {high - low} of 255 (at least {MinContrast} needed)");
        }

        var range = high - low;
        int x0 = width, x1 = 0, y0 = height, y1 = 0;
        for (var y = 0; y < height; y++)
        {
            var row = grey.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                if (((invert ? 255 - row[x] : row[x]) - low) / range > Ink)
                {
                    x0 = Math.Min(x0, x);
                    x1 = Math.Max(x1, x + 1);
                    y0 = Math.Min(y0, y);
                    y1 = Math.Max(y1, y + 1);
                }
            }
        }

        var side = Math.Max(x1 - x0, y1 - y0) * (1 + (2 * Margin));
        var rows = AxisWeights(((y0 + y1) / 2.0) - (side / 2), side, height);
        var columns = AxisWeights(((x0 + x1) / 2.0) - (side / 2), side, width);

        Span<double> cells = stackalloc double[Features];
        Span<double> rowSums = stackalloc double[Grid];
        cells.Clear();
        int first = height, last = 0;
        foreach (var (start, weights) in rows)
        {
            if (weights.Length > 0)
            {
                first = Math.Min(first, start);
                last = Math.Max(last, start + weights.Length);
            }
        }

        for (var y = first; y < last; y++)
        {
            // Each row's ink per column cell, then spread over the row cells that cover this row.
            var row = grey.Slice(y * width, width);
            for (var j = 0; j < Grid; j++)
            {
                var (start, weights) = columns[j];
                var sum = 0.0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * (((invert ? 255 - row[start + k] : row[start + k]) - low) / range);
                }

                rowSums[j] = sum;
            }

            for (var i = 0; i < Grid; i++)
            {
                var (start, weights) = rows[i];
                if (y >= start && y < start + weights.Length)
                {
                    for (var j = 0; j < Grid; j++)
                    {
                        cells[(i * Grid) + j] += weights[y - start] * rowSums[j];
                    }
                }
            }
        }

        for (var i = 0; i < Features; i++)
        {
            features[i] = (float)(cells[i] * MaxValue);
        }
    }

    /// <summary>Mean grey of the outermost rows and columns (all pixels when the image is one pixel thin).</summary>
    private static double BorderMean(ReadOnlySpan<byte> grey, int width, int height)
    {
        if (width <= 2 || height <= 2)
        {
            var all = 0L;
            foreach (var v in grey)
            {
                all += v;
            }

            return all / (double)grey.Length;
        }

        long sum = 0;
        for (var x = 0; x < width; x++)
        {
            sum += grey[x] + grey[((height - 1) * width) + x];
        }

        for (var y = 1; y < height - 1; y++)
        {
            sum += grey[y * width] + grey[(y * width) + width - 1];
        }

        return sum / (double)((2 * width) + (2 * (height - 2)));
    }

    /// <summary>
    /// For each of the 8 cells of side/8 from <paramref name="origin"/>: the first source pixel it covers
    /// and each covered pixel's share of the cell (overlap / cell size). Pixels outside 0..length-1 are
    /// background (0) and left out.
    /// </summary>
    private static (int Start, double[] Weights)[] AxisWeights(double origin, double side, int length)
    {
        var cell = side / Grid;
        var result = new (int, double[])[Grid];
        for (var i = 0; i < Grid; i++)
        {
            double a = origin + (i * cell), b = origin + ((i + 1) * cell);
            int from = Math.Max(0, (int)Math.Floor(a)), to = Math.Min(length, (int)Math.Ceiling(b));
            var weights = new double[Math.Max(0, to - from)];
            for (var p = from; p < to; p++)
            {
                weights[p - from] = (Math.Min(b, p + 1) - Math.Max(a, p)) / cell;
            }

            result[i] = (from, weights);
        }

        return result;
    }
}
