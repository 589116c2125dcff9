using System.Numerics;

namespace Inference.LoadGenerator.Measurement;

/// <summary>
/// A log-linear histogram of durations in nanoseconds, HDR-style: 128 sub-buckets per power of two, so
/// a reported percentile (a bucket's midpoint) is within 0.4% of the recorded value, in fixed memory
/// (35 KiB) however many samples it holds. Min, max, count and sum are exact. Not thread-safe: each
/// client records into its own and the run merges them.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;

    // 2^40 ns is about 18 minutes; anything longer is counted in the top bucket (max stays exact).
    private const int MaxMagnitude = 40;
    private readonly long[] counts = new long[(MaxMagnitude - SubBucketBits + 2) * SubBuckets];

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public double Sum { get; private set; }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    public void Record(long nanoseconds)
    {
        var value = Math.Max(0, nanoseconds);
        counts[IndexOf(value)]++;
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1], in nanoseconds; 0 when empty.</summary>
    public long Percentile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Clamp((long)Math.Ceiling(q * Count), 1, Count);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                // The bucket's midpoint, but never outside what was actually recorded.
                return Math.Clamp(MidpointOf(i), Min, Max);
            }
        }

        return Max;
    }

    private static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)value);
        if (magnitude > MaxMagnitude)
        {
            return ((MaxMagnitude - SubBucketBits + 2) * SubBuckets) - 1;
        }

        var sub = (int)(value >> (magnitude - SubBucketBits)) & (SubBuckets - 1);
        return ((magnitude - SubBucketBits + 1) * SubBuckets) + sub;
    }

    private static long MidpointOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var magnitude = (index / SubBuckets) + SubBucketBits - 1;
        var sub = index % SubBuckets;
        var low = (1L << magnitude) + ((long)sub << (magnitude - SubBucketBits));
        var width = 1L << (magnitude - SubBucketBits);
        return low + (width / 2);
    }
}
