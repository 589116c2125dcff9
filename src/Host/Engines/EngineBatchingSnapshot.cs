using Inference.Host.Scheduling;

namespace Inference.Host.Engines;

/// <summary>
/// An engine version's batching as it is now: its settings, the requests waiting for a batch, and the
/// runs so far by size (requests per call for plugins, rows per run for ONNX-only engines).
/// </summary>
public sealed record EngineBatchingSnapshot(BatchingOptions Options, int Queued, IReadOnlyList<EngineBatchSize> Sizes)
{
    /// <summary>Runs so far, batches of one included.</summary>
    public long Batches => Sizes.Sum(s => s.Count);

    /// <summary>Requests (or rows) those runs carried.</summary>
    public long Items => Sizes.Sum(s => s.Size * s.Count);

    public double AverageSize => Batches == 0 ? 0 : (double)Items / Batches;
}
