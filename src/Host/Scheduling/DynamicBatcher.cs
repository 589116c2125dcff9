using System.Diagnostics.CodeAnalysis;
using Inference.Host.Buffers;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Scheduling;

/// <summary>
/// The dynamic batcher of one model version. Requests queue in arrival order; the oldest one's
/// compatible followers join its batch, in order, while the rows fit in the max batch size. The batch
/// is due when it is full, when it reaches a preferred size, or when the oldest request has waited
/// the max queue delay; it is formed only once an instance is free, so requests that arrive while
/// all instances are busy join it. One loop forms batches; each batch runs on the thread pool.
/// </summary>
internal sealed class DynamicBatcher : IDisposable
{
    private readonly Lock gate = new();
    private readonly LinkedList<PendingRequest> queue = new();
    private readonly List<PendingRequest> candidates = [];
    private readonly BatchingOptions options;
    private readonly bool[] splittable;
    private readonly TimeProvider time;
    private readonly long delayTicks;
    private readonly BatchWakeup wakeup;
    private readonly CancellationTokenSource stopping = new();
    private readonly ILogger logger;
    private readonly string modelName;
    private readonly long modelVersion;
    private int mismatchReported;
    private bool disposed;

    public DynamicBatcher(InstancePool instances, ModelStatistics statistics, BatchingOptions options, PinnedBufferPool buffers, TimeProvider time, ILogger logger, string modelName, long modelVersion)
    {
        var session = instances.Primary.Session;
        if (BatchingSupport.InputProblem(session.Inputs) is { } problem)
        {
            throw new ArgumentException($"model '{modelName}' cannot be batched: {problem}", nameof(options));
        }

        Instances = instances;
        Statistics = statistics;
        Buffers = buffers;
        Inputs = session.Inputs;
        Outputs = session.Outputs;
        SessionOrder = Enumerable.Range(0, Inputs.Count).ToArray();
        this.options = options;
        this.time = time;
        this.logger = logger;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        splittable = BatchingSupport.SplittableOutputs(Outputs);
        delayTicks = (long)(options.MaxQueueDelayMicroseconds * (time.TimestampFrequency / 1_000_000.0));
        wakeup = new BatchWakeup(gate, time);
        _ = Task.Run(RunLoopAsync);
    }

    public InstancePool Instances { get; }

    public ModelStatistics Statistics { get; }

    public PinnedBufferPool Buffers { get; }

    public IReadOnlyList<TensorMetadata> Inputs { get; }

    public IReadOnlyList<TensorMetadata> Outputs { get; }

    /// <summary>0, 1, ... n-1: a merged batch gives every input in the session's order.</summary>
    public int[] SessionOrder { get; }

    /// <summary>Requests waiting for their batch to be formed.</summary>
    public int Queued
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>
    /// Queues a request that can be merged; false (and nothing done) for one that must run alone:
    /// inputs of different first dimensions, more rows than the max batch size, none at all, or an
    /// output asked for that has no batch dimension.
    /// </summary>
    public bool TryEnqueue(BoundInputs bound, CancellationToken cancellationToken, [NotNullWhen(true)] out Task<OrtValue?[]>? completion)
    {
        completion = null;
        var count = Inputs.Count;
        if (bound.Values.Length != count)
        {
            return false;
        }

        foreach (var output in bound.OutputIndices)
        {
            if (!splittable[output])
            {
                return false;
            }
        }

        var shapes = new long[count][];
        var positions = new int[count];
        long rows = -1, bytes = 0;
        for (var k = 0; k < count; k++)
        {
            var index = bound.InputIndices[k];
            var shape = bound.ShapeAt(k);
            if (shape.Length == 0 || (rows >= 0 && shape[0] != rows))
            {
                return false;
            }

            rows = shape[0];
            shapes[index] = shape;
            positions[index] = k;
            bytes += TensorShape.ElementCount(shape) * Inputs[index].ElementType.SizeInBytes();
        }

        if (rows < 1 || rows > options.MaxBatchSize || bytes > BatchPlanner.MaxBatchBytes)
        {
            return false;
        }

        var request = new PendingRequest(this, bound, shapes, positions, rows, bytes, cancellationToken);
        // Registered before it is queued, so that the batch that takes it always finds the registration to dispose.
        request.Registration = cancellationToken.Register(static s => ((PendingRequest)s!).OnCancelled(), request);
        var queued = false;
        lock (gate)
        {
            if (disposed)
            {
                request.Completion.TrySetException(new ObjectDisposedException(nameof(DynamicBatcher), "the model was unloaded"));
            }
            else if (cancellationToken.IsCancellationRequested)
            {
                request.Completion.TrySetCanceled(cancellationToken);
            }
            else
            {
                request.EnqueuedAt = time.GetTimestamp();
                queue.AddLast(request.Node);
                queued = true;
                wakeup.WakeLocked();
            }
        }

        if (!queued)
        {
            request.Registration.Dispose();
        }

        completion = request.Completion.Task;
        return true;
    }

    /// <summary>A request's token fired: a queued request leaves and never runs; one in a batch counts toward terminating it.</summary>
    public void Cancel(PendingRequest request)
    {
        Batch? batch;
        lock (gate)
        {
            if (request.Node.List is not null)
            {
                queue.Remove(request.Node);
                request.Completion.TrySetCanceled(request.Token);
                return;
            }

            batch = request.Batch;
        }

        batch?.MemberCancelled();
    }

    public void ReportMismatch(int output, long rows, long[] shape)
    {
        if (Interlocked.Exchange(ref mismatchReported, 1) == 0)
        {
            SchedulingLog.BatchOutputMismatch(logger, modelName, modelVersion, Outputs[output].Name, rows, TensorShape.Format(shape));
        }
    }

    public void Dispose()
    {
        PendingRequest[] abandoned;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            abandoned = queue.ToArray();
            queue.Clear();
            wakeup.WakeLocked();
        }

        stopping.Cancel();
        wakeup.Dispose();
        foreach (var request in abandoned)
        {
            request.Registration.Dispose();
            request.Completion.TrySetException(new ObjectDisposedException(nameof(DynamicBatcher), "the model was unloaded"));
        }
    }

    private async Task RunLoopAsync()
    {
        var stopped = stopping.Token;
        while (true)
        {
            Task? sleep = null;
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                if (queue.Count == 0)
                {
                    sleep = wakeup.SleepLocked(Timeout.InfiniteTimeSpan);
                }
                else if (Plan(out var wait) == 0)
                {
                    sleep = wakeup.SleepLocked(wait);
                }
            }

            if (sleep is not null)
            {
                await sleep.ConfigureAwait(false);
                continue;
            }

            ModelInstance instance;
            try
            {
                instance = await Instances.AcquireAsync(stopped).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            Batch? batch = null;
            lock (gate)
            {
                // Planned again: requests may have come or gone while the instance was busy.
                var take = disposed ? 0 : Plan(out _);
                if (take > 0)
                {
                    var members = candidates.GetRange(0, take).ToArray();
                    long rows = 0;
                    foreach (var member in members)
                    {
                        queue.Remove(member.Node);
                        rows += member.Rows;
                    }

                    batch = new Batch(this, members, rows, instance);
                    foreach (var member in members)
                    {
                        member.Batch = batch;
                    }
                }
            }

            if (batch is null)
            {
                Instances.Release(instance);
                continue;
            }

            ThreadPool.UnsafeQueueUserWorkItem(batch, preferLocal: false);
        }
    }

    /// <summary>Under the lock: how many of <see cref="candidates"/> to take now (0: not due, and how long until it is).</summary>
    private int Plan(out TimeSpan wait)
    {
        var take = BatchPlanner.Plan(queue, options, delayTicks, time.GetTimestamp(), candidates, out var remaining);
        wait = BatchWakeup.DelayFrom(remaining, time);
        return take;
    }
}
