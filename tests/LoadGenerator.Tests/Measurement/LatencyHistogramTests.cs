using Inference.LoadGenerator.Measurement;

namespace Inference.LoadGenerator.Tests.Measurement;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Quantiles = [0.5, 0.9, 0.99, 0.999];

    [Fact]
    public void AnEmptyHistogramReportsZeros()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Percentile(0.5));
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Mean);
    }

    [Fact]
    public void UniformValuesGiveTheirPercentilesWithinHalfAPercent()
    {
        var histogram = new LatencyHistogram();
        for (long value = 1; value <= 1_000_000; value++)
        {
            histogram.Record(value);
        }

        foreach (var q in Quantiles)
        {
            AssertClose(q * 1_000_000, histogram.Percentile(q), 0.005);
        }

        Assert.Equal(1, histogram.Min);
        Assert.Equal(1_000_000, histogram.Max);
        Assert.Equal(500_000.5, histogram.Mean, 3);
        Assert.Equal(1_000_000, histogram.Count);
    }

    [Fact]
    public void ExponentialSamplesMatchTheirExactOrderStatistics()
    {
        // Latency-like: exponential with a 1 ms mean, against the exact percentiles of the same samples.
        var random = new Random(42);
        var samples = new long[200_000];
        var histogram = new LatencyHistogram();
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (long)(-Math.Log(1 - random.NextDouble()) * 1_000_000);
            histogram.Record(samples[i]);
        }

        Array.Sort(samples);
        foreach (var q in Quantiles)
        {
            var exact = samples[(int)Math.Ceiling(q * samples.Length) - 1];
            AssertClose(exact, histogram.Percentile(q), 0.005);
        }

        // And against the distribution itself: the p99 of Exp(1 ms) is ln(100) ms.
        AssertClose(Math.Log(100) * 1_000_000, histogram.Percentile(0.99), 0.05);
        Assert.Equal(samples[^1], histogram.Max);
        Assert.Equal(samples[0], histogram.Min);
    }

    [Fact]
    public void ARareSlowModeShowsOnlyInTheTail()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 99_000; i++)
        {
            histogram.Record(100_000);
        }

        for (var i = 0; i < 1_000; i++)
        {
            histogram.Record(50_000_000);
        }

        AssertClose(100_000, histogram.Percentile(0.5), 0.005);
        AssertClose(100_000, histogram.Percentile(0.99), 0.005);
        AssertClose(50_000_000, histogram.Percentile(0.995), 0.005);
        AssertClose(50_000_000, histogram.Percentile(0.999), 0.005);
        Assert.Equal(50_000_000, histogram.Max);
    }

    [Fact]
    public void SmallValuesAreExact()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in new long[] { 3, 5, 7, 9, 127 })
        {
            histogram.Record(value);
        }

        Assert.Equal(7, histogram.Percentile(0.5));
        Assert.Equal(127, histogram.Percentile(1));
        Assert.Equal(3, histogram.Percentile(0.01));
    }

    [Fact]
    public void MergedHistogramsEqualOneThatSawEverything()
    {
        var random = new Random(7);
        var whole = new LatencyHistogram();
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        for (var i = 0; i < 50_000; i++)
        {
            var value = random.NextInt64(1_000, 100_000_000);
            whole.Record(value);
            (i % 3 == 0 ? first : second).Record(value);
        }

        first.Add(second);

        Assert.Equal(whole.Count, first.Count);
        Assert.Equal(whole.Max, first.Max);
        Assert.Equal(whole.Min, first.Min);
        Assert.Equal(whole.Sum, first.Sum);
        foreach (var q in Quantiles)
        {
            Assert.Equal(whole.Percentile(q), first.Percentile(q));
        }
    }

    [Fact]
    public void ValuesBeyondTheRangeKeepAnExactMaximumAndNeverReportMoreThanIt()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1_000);
        histogram.Record(long.MaxValue / 2);
        histogram.Record(-5);

        Assert.Equal(long.MaxValue / 2, histogram.Max);
        Assert.Equal(0, histogram.Min);
        Assert.True(histogram.Percentile(1) <= histogram.Max);
        Assert.True(histogram.Percentile(1) > 1L << 40);
    }

    private static void AssertClose(double expected, long actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= expected * relative, $"expected {expected} within {relative:P1}, got {actual}");
}
