namespace Inference.Host.Scheduling;

/// <summary>
/// Dynamic batching of one model version (<c>Models:{name}:Batching</c>). Off unless
/// <see cref="MaxBatchSize"/> is at least 1.
/// </summary>
public sealed record BatchingOptions
{
    public static readonly BatchingOptions Off = new();

    /// <summary>Most rows (the sum of the requests' first dimensions) in one run; 0 is off.</summary>
    public int MaxBatchSize { get; init; }

    /// <summary>How long the oldest waiting request may wait for others before its batch runs anyway.</summary>
    public long MaxQueueDelayMicroseconds { get; init; }

    /// <summary>Batch sizes that run at once when reached, without waiting out the delay.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    public bool Enabled => MaxBatchSize >= 1;
}
