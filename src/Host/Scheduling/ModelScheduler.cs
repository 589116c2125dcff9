using System.Diagnostics;
using Inference.Host.Buffers;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Scheduling;

/// <summary>
/// Runs a model version's requests on its instances: through the dynamic batcher when batching is
/// on and the request can be merged, else alone, synchronously on the caller's thread when an
/// instance is free (as cheap as calling the session directly). A caller whose token fires while
/// its run is in progress terminates that run (when it runs alone; a batch only when all of its
/// members are cancelled).
/// </summary>
public sealed class ModelScheduler : IDisposable
{
    private readonly DynamicBatcher? batcher;

    /// <summary>A scheduler without batching.</summary>
    public ModelScheduler(InstancePool instances, ModelStatistics statistics)
    {
        Instances = instances;
        Statistics = statistics;
        Batching = BatchingOptions.Off;
    }

    /// <summary>A scheduler that batches as <paramref name="batching"/> says (when it is enabled).</summary>
    /// <exception cref="ArgumentException">batching is enabled but the model's inputs have no dynamic first dimension.</exception>
    public ModelScheduler(InstancePool instances, ModelStatistics statistics, BatchingOptions batching, PinnedBufferPool buffers, TimeProvider time, ILogger logger, string modelName, long modelVersion)
        : this(instances, statistics)
    {
        Batching = batching;
        if (batching.Enabled)
        {
            batcher = new DynamicBatcher(instances, statistics, batching, buffers, time, logger, modelName, modelVersion);
        }
    }

    public InstancePool Instances { get; }

    public ModelStatistics Statistics { get; }

    public BatchingOptions Batching { get; }

    /// <summary>Requests waiting in the batcher's queue.</summary>
    public int Queued => batcher?.Queued ?? 0;

    /// <summary>
    /// Runs the request. The results are in the order of <see cref="BoundInputs.OutputIndices"/> and
    /// belong to the caller, who disposes them; <paramref name="bound"/> must stay alive until the
    /// task completes. Errors of a run that starts on this thread are thrown from this call.
    /// </summary>
    public ValueTask<OrtValue?[]> RunAsync(BoundInputs bound, CancellationToken cancellationToken)
    {
        if (batcher is not null && batcher.TryEnqueue(bound, cancellationToken, out var queued))
        {
            return new ValueTask<OrtValue?[]>(queued);
        }

        if (Instances.TryAcquire(out var instance))
        {
            try
            {
                return ValueTask.FromResult(Run(instance, bound, Stopwatch.GetTimestamp(), cancellationToken));
            }
            finally
            {
                Instances.Release(instance);
            }
        }

        return RunWhenFreeAsync(bound, cancellationToken);
    }

    public void Dispose()
    {
        batcher?.Dispose();
        Instances.Dispose();
    }

    private async ValueTask<OrtValue?[]> RunWhenFreeAsync(BoundInputs bound, CancellationToken cancellationToken)
    {
        var instance = await Instances.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The wait for the instance ends here: it is queue time, not compute.
            return Run(instance, bound, Stopwatch.GetTimestamp(), cancellationToken);
        }
        finally
        {
            Instances.Release(instance);
        }
    }

    private OrtValue?[] Run(ModelInstance instance, BoundInputs bound, long taken, CancellationToken cancellationToken)
    {
        var results = new OrtValue?[bound.OutputIndices.Length];
        var runOptions = ThreadRunOptions.Get();
        long start;
        using (cancellationToken.Register(static s => ((OrtRunOptions)s!).Terminate(), runOptions))
        {
            cancellationToken.ThrowIfCancellationRequested();
            start = Stopwatch.GetTimestamp();
            instance.Run(bound.InputIndices, bound.Values, bound.OutputIndices, results, runOptions);
        }

        var done = Stopwatch.GetTimestamp();
        long[] first = bound.Values.Length > 0 ? bound.ShapeAt(0) : [];
        Statistics.RecordExecution(first.Length > 0 ? first[0] : 1, start, start, done, done);
        bound.Timing = new RunTiming(taken, start, done);
        return results;
    }
}
