namespace Inference.Samples.Digits;

/// <summary>Reverses PNG's per-row filters (filter method 0: None, Sub, Up, Average, Paeth), in place.</summary>
internal static class PngFilter
{
    /// <summary>
    /// Unfilters <paramref name="row"/> given the already unfiltered <paramref name="previous"/> row (empty for
    /// the first row, which the filters see as zeros); false for a filter type that does not exist.
    /// </summary>
    public static bool TryUnfilter(byte type, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (var i = bytesPerPixel; i < row.Length; i++)
                {
                    row[i] += row[i - bytesPerPixel];
                }

                return true;
            case 2:
                for (var i = 0; i < previous.Length; i++)
                {
                    row[i] += previous[i];
                }

                return true;
            case 3:
                for (var i = 0; i < row.Length; i++)
                {
                    int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                    int up = previous.IsEmpty ? 0 : previous[i];
                    row[i] += (byte)((left + up) >> 1);
                }

                return true;
            case 4:
                for (var i = 0; i < row.Length; i++)
                {
                    int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                    int up = previous.IsEmpty ? 0 : previous[i];
                    int upLeft = i >= bytesPerPixel && !previous.IsEmpty ? previous[i - bytesPerPixel] : 0;
                    row[i] += Paeth(left, up, upLeft);
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>The neighbour closest to left + up - upLeft; ties go to left, then up (the order the spec fixes).</summary>
    private static byte Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var toLeft = Math.Abs(estimate - left);
        var toUp = Math.Abs(estimate - up);
        var toUpLeft = Math.Abs(estimate - upLeft);
        if (toLeft <= toUp && toLeft <= toUpLeft)
        {
            return (byte)left;
        }

        return toUp <= toUpLeft ? (byte)up : (byte)upLeft;
    }
}
