using System.Collections.Concurrent;
using System.Diagnostics;

namespace Inference.Host.Observability;

/// <summary>
/// Per model version, Triton's statistics (success, fail, queue, compute_input, compute_infer,
/// compute_output) plus the distribution of each stage and of the host's own overhead (everything
/// the handler spends outside the ORT run), so the time split can be read off a running host.
/// </summary>
public sealed class ModelStatistics(TimeProvider time)
{
    private long lastInferenceUnixMs;
    private long inferenceCount;
    private long executionCount;
    private readonly ConcurrentDictionary<long, BatchStatistics> batches = new();

    public StageStatistics Success { get; } = new();

    public StageStatistics Fail { get; } = new();

    public StageStatistics Queue { get; } = new();

    public StageStatistics ComputeInput { get; } = new();

    public StageStatistics ComputeInfer { get; } = new();

    public StageStatistics ComputeOutput { get; } = new();

    /// <summary>Handler time minus ORT run time, per successful request.</summary>
    public StageStatistics HostOverhead { get; } = new();

    public long LastInferenceUnixMs => Volatile.Read(ref lastInferenceUnixMs);

    public long InferenceCount => Volatile.Read(ref inferenceCount);

    /// <summary>ORT runs: one per request that ran alone, one per batch of merged requests.</summary>
    public long ExecutionCount => Volatile.Read(ref executionCount);

    /// <summary>Executions by batch size, smallest first.</summary>
    public IReadOnlyList<KeyValuePair<long, BatchStatistics>> Batches => batches.OrderBy(p => p.Key).ToArray();

    /// <summary>Records one successful request from its Stopwatch timestamps at each stage boundary.</summary>
    public void RecordSuccess(long batchSize, long start, long queued, long inputReady, long inferDone, long outputDone)
    {
        var queue = Elapsed(start, queued);
        var input = Elapsed(queued, inputReady);
        var infer = Elapsed(inputReady, inferDone);
        var output = Elapsed(inferDone, outputDone);
        var total = Elapsed(start, outputDone);
        Queue.Record(queue);
        ComputeInput.Record(input);
        ComputeInfer.Record(infer);
        ComputeOutput.Record(output);
        Success.Record(total);
        HostOverhead.Record(total - infer);
        Interlocked.Add(ref inferenceCount, batchSize);
        Volatile.Write(ref lastInferenceUnixMs, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public void RecordFailure(long start, long end) => Fail.Record(Elapsed(start, end));

    /// <summary>Records one ORT run of <paramref name="batchSize"/> rows, from Stopwatch timestamps around its stages.</summary>
    public void RecordExecution(long batchSize, long start, long inputReady, long inferDone, long outputDone)
    {
        Interlocked.Increment(ref executionCount);
        batches.GetOrAdd(batchSize, static _ => new BatchStatistics())
            .Record(Elapsed(start, inputReady), Elapsed(inputReady, inferDone), Elapsed(inferDone, outputDone));
    }

    private static long Elapsed(long from, long to) =>
        (long)((to - from) * (1_000_000_000.0 / Stopwatch.Frequency));
}
