using System.Numerics;

namespace Inference.Host.Observability;

/// <summary>
/// A lock-free log-linear histogram of durations in nanoseconds (16 sub-buckets per power of two,
/// so a percentile is within about 6% of the true value). Recording is one interlocked increment.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 4;
    private const int SubBuckets = 1 << SubBucketBits;
    private readonly long[] counts = new long[64 * SubBuckets];

    public void Record(long nanoseconds)
    {
        Interlocked.Increment(ref counts[IndexOf(Math.Max(0, nanoseconds))]);
    }

    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                total += Volatile.Read(ref counts[i]);
            }

            return total;
        }
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), in nanoseconds; 0 when empty.</summary>
    public long Percentile(double q)
    {
        var snapshot = new long[counts.Length];
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            snapshot[i] = Volatile.Read(ref counts[i]);
            total += snapshot[i];
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < snapshot.Length; i++)
        {
            seen += snapshot[i];
            if (seen >= rank && snapshot[i] > 0)
            {
                return MidpointOf(i);
            }
        }

        return MidpointOf(snapshot.Length - 1);
    }

    private static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)value);
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
