using Inference.Host.Observability;

namespace Inference.Host.Tests.Observability;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void AnEmptyHistogramReadsZero()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.Count);
        foreach (var q in new[] { 0, 0.5, 0.99, 1 })
        {
            Assert.Equal(0, histogram.Percentile(q));
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(7L)]
    [InlineData(15L)]
    [InlineData(16L)]
    [InlineData(17L)]
    [InlineData(31L)]
    [InlineData(33L)]
    [InlineData(100L)]
    [InlineData(999L)]
    [InlineData(1_000L)]
    [InlineData(65_535L)]
    [InlineData(1_000_000L)]
    [InlineData(123_456_789L)]
    [InlineData(1_000_000_000L)]
    [InlineData(9_999_999_999L)]
    [InlineData(10_000_000_000L)]
    [InlineData(long.MaxValue)]
    public void ASingleValueIsReadBackWithinOneSixteenth(long value)
    {
        var histogram = new LatencyHistogram();

        histogram.Record(value);

        Assert.Equal(1, histogram.Count);
        foreach (var q in new[] { 0.5, 0.99 })
        {
            var p = histogram.Percentile(q);
            Assert.True(p >= 0, $"p{q * 100} of {value} is {p}");
            Assert.True(Math.Abs((double)p - value) <= value / 16.0, $"p{q * 100} of {value} is {p}");
        }
    }

    [Fact]
    public void ValuesBelowSixteenAreExact()
    {
        for (long value = 0; value < 16; value++)
        {
            var histogram = new LatencyHistogram();
            histogram.Record(value);

            Assert.Equal(value, histogram.Percentile(0.5));
        }
    }

    [Fact]
    public void PercentilesOfAUniformDistributionAreWithinSevenPercentOfTheOrderStatistic()
    {
        const int N = 100_000;
        var histogram = new LatencyHistogram();
        var values = Enumerable.Range(1, N).Select(v => (long)v).ToArray();
        new Random(1234).Shuffle(values);
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        Assert.Equal(N, histogram.Count);
        foreach (var q in new[] { 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1 })
        {
            // The smallest value with at least q*N values at or below it; the values are 1..N.
            var exact = Math.Max(1, (long)Math.Ceiling((decimal)q * N));
            var p = histogram.Percentile(q);
            Assert.True(Math.Abs(p - exact) <= 0.07 * exact, $"p{q * 100}: {p}, exact {exact}");
        }
    }

    [Fact]
    public void PercentilesFollowTheRanksOfASkewedDistribution()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 99; i++)
        {
            histogram.Record(1_000);
        }

        histogram.Record(1_000_000);

        // Ranks 1..99 are 1 µs, rank 100 is 1 ms.
        foreach (var q in new[] { 0, 0.01, 0.5, 0.9, 0.99 })
        {
            Assert.InRange(histogram.Percentile(q), 1_000 - 62, 1_000 + 62);
        }

        foreach (var q in new[] { 0.995, 1 })
        {
            Assert.InRange(histogram.Percentile(q), 1_000_000 - 62_500, 1_000_000 + 62_500);
        }
    }

    [Fact]
    public void PercentilesDoNotDecreaseWithTheQuantile()
    {
        var histogram = new LatencyHistogram();
        var random = new Random(99);
        for (var i = 0; i < 10_000; i++)
        {
            histogram.Record((long)Math.Exp(random.NextDouble() * 25));
        }

        var previous = long.MinValue;
        for (var q = 0; q <= 1000; q++)
        {
            var p = histogram.Percentile(q / 1000.0);
            Assert.True(p >= previous, $"p{q / 10.0} = {p} < {previous}");
            previous = p;
        }
    }

    [Fact]
    public void CountIsTheNumberOfRecords()
    {
        var histogram = new LatencyHistogram();
        var values = new long[] { 5, 5, 5, 1_000, 1 << 40, 0, 77 };

        foreach (var v in values)
        {
            histogram.Record(v);
        }

        Assert.Equal(values.Length, histogram.Count);
    }

    [Fact]
    public void ConcurrentRecordingLosesNothing()
    {
        const int Threads = 8;
        const int PerThread = 50_000;
        var histogram = new LatencyHistogram();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                // All threads hit the same few buckets, so increments really contend.
                histogram.Record(1_000 + (i % 4));
            }

            if (t == 0)
            {
                histogram.Record(5_000_000);
            }
        })).ToArray();
        foreach (var w in workers)
        {
            w.Start();
        }

        foreach (var w in workers)
        {
            w.Join();
        }

        Assert.Equal((Threads * PerThread) + 1, histogram.Count);
        Assert.InRange(histogram.Percentile(0.5), 1_000 - 63, 1_003 + 63);
        Assert.InRange(histogram.Percentile(1), 5_000_000 - 312_500, 5_000_000 + 312_500);
    }

    [Fact]
    public void NegativeDurationsAreRecordedAsZero()
    {
        var histogram = new LatencyHistogram();

        histogram.Record(-1);
        histogram.Record(-123_456_789);
        histogram.Record(long.MinValue);

        Assert.Equal(3, histogram.Count);
        Assert.Equal(0, histogram.Percentile(0));
        Assert.Equal(0, histogram.Percentile(1));
    }

    [Fact]
    public void ANegativeDurationCountsBelowEveryPositiveOne()
    {
        var histogram = new LatencyHistogram();

        histogram.Record(-50);
        histogram.Record(800);

        Assert.Equal(0, histogram.Percentile(0.5));
        Assert.InRange(histogram.Percentile(1), 800 - 50, 800 + 50);
    }
}
