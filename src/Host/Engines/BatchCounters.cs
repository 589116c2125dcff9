using System.Collections.Concurrent;

namespace Inference.Host.Engines;

/// <summary>A batching plugin's calls by size (requests per call): what /v1/engines/stats reports.</summary>
public sealed class BatchCounters
{
    private readonly ConcurrentDictionary<long, Counter> sizes = new();

    public void Record(long size) => Interlocked.Increment(ref sizes.GetOrAdd(size, static _ => new Counter()).Count);

    /// <summary>Calls per size, smallest first.</summary>
    public IReadOnlyList<EngineBatchSize> Sizes() =>
        sizes.OrderBy(p => p.Key).Select(p => new EngineBatchSize(p.Key, Volatile.Read(ref p.Value.Count))).ToArray();

    private sealed class Counter
    {
        public long Count;
    }
}
