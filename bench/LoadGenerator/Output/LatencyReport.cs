using Inference.LoadGenerator.Measurement;

namespace Inference.LoadGenerator.Output;

/// <summary>A latency distribution in microseconds.</summary>
internal sealed record LatencyReport(long Count, double MeanUs, double MinUs, double P50Us, double P90Us, double P99Us, double P999Us, double MaxUs)
{
    public static LatencyReport From(LatencyHistogram histogram)
    {
        static double Us(double nanoseconds) => Math.Round(nanoseconds / 1000, 1);
        return new LatencyReport(
            histogram.Count,
            Us(histogram.Mean),
            Us(histogram.Count == 0 ? 0 : histogram.Min),
            Us(histogram.Percentile(0.50)),
            Us(histogram.Percentile(0.90)),
            Us(histogram.Percentile(0.99)),
            Us(histogram.Percentile(0.999)),
            Us(histogram.Max));
    }
}
