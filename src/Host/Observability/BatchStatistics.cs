namespace Inference.Host.Observability;

/// <summary>Executions of one batch size (Triton's <c>batch_stats</c> entry): count and cumulative time per stage.</summary>
public sealed class BatchStatistics
{
    private long count;
    private long inputNanoseconds;
    private long inferNanoseconds;
    private long outputNanoseconds;

    public long Count => Volatile.Read(ref count);

    /// <summary>Time spent concatenating the requests' inputs (0 for a request that ran alone).</summary>
    public long InputNanoseconds => Volatile.Read(ref inputNanoseconds);

    public long InferNanoseconds => Volatile.Read(ref inferNanoseconds);

    /// <summary>Time spent splitting the outputs back into the requests.</summary>
    public long OutputNanoseconds => Volatile.Read(ref outputNanoseconds);

    public void Record(long input, long infer, long output)
    {
        Interlocked.Increment(ref count);
        Interlocked.Add(ref inputNanoseconds, input);
        Interlocked.Add(ref inferNanoseconds, infer);
        Interlocked.Add(ref outputNanoseconds, output);
    }
}
