namespace Inference.Host.Observability;

/// <summary>Count, cumulative time and distribution of one stage of request handling.</summary>
public sealed class StageStatistics
{
    private long count;
    private long totalNanoseconds;

    public LatencyHistogram Histogram { get; } = new();

    public long Count => Volatile.Read(ref count);

    public long TotalNanoseconds => Volatile.Read(ref totalNanoseconds);

    public void Record(long nanoseconds)
    {
        Interlocked.Increment(ref count);
        Interlocked.Add(ref totalNanoseconds, nanoseconds);
        Histogram.Record(nanoseconds);
    }
}
