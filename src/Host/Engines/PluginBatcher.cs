using Inference.Host.Scheduling;
using Inference.Plugins.Sdk;

namespace Inference.Host.Engines;

/// <summary>
/// The batcher of one managed engine version whose plugin implements <see cref="IBatchingPlugin"/>.
/// Requests queue in arrival order; the batch at the head (see <see cref="PluginBatchPlanner"/>) is
/// formed only once an instance is free, so requests that arrive while all instances are busy join it.
/// One loop forms batches; each runs as its own task and hands every caller its own result, in order.
/// </summary>
internal sealed class PluginBatcher : IDisposable
{
    private readonly Lock gate = new();
    private readonly LinkedList<PluginBatchMember> queue = new();
    private readonly EngineInstancePool<IEnginePlugin> instances;
    private readonly BatchingOptions options;
    private readonly TimeProvider time;
    private readonly long delayTicks;
    private readonly Scheduling.BatchWakeup wakeup;
    private readonly CancellationTokenSource stopping = new();
    private bool disposed;

    public PluginBatcher(EngineInstancePool<IEnginePlugin> instances, BatchingOptions options, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options));
        this.instances = instances;
        this.options = options;
        this.time = time;
        delayTicks = (long)(options.MaxQueueDelayMicroseconds * (time.TimestampFrequency / 1_000_000.0));
        wakeup = new Scheduling.BatchWakeup(gate, time);
        _ = Task.Run(RunLoopAsync);
    }

    public BatchingOptions Options => options;

    public BatchCounters Counters { get; } = new();

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

    /// <summary>Queues the request; the task ends with its own result, the batch's failure, or its cancellation.</summary>
    public Task<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken)
    {
        var member = new PluginBatchMember(this, request, cancellationToken);
        // Registered before it is queued, so that the batch that takes it always finds the registration to dispose.
        member.Registration = cancellationToken.Register(static s => ((PluginBatchMember)s!).OnCancelled(), member);
        var queued = false;
        lock (gate)
        {
            if (disposed)
            {
                member.Completion.TrySetException(new ObjectDisposedException(nameof(PluginBatcher), "the engine was unloaded"));
            }
            else if (cancellationToken.IsCancellationRequested)
            {
                member.Completion.TrySetCanceled(cancellationToken);
            }
            else
            {
                member.EnqueuedAt = time.GetTimestamp();
                queue.AddLast(member.Node);
                queued = true;
                wakeup.WakeLocked();
            }
        }

        if (!queued)
        {
            member.Registration.Dispose();
        }

        return member.Completion.Task;
    }

    /// <summary>A caller's token fired: a queued request leaves and never runs; one in a running batch leaves it at once.</summary>
    public void Cancel(PluginBatchMember member)
    {
        PluginBatch? batch;
        lock (gate)
        {
            if (member.Node.List is not null)
            {
                queue.Remove(member.Node);
                member.Completion.TrySetCanceled(member.Token);
                return;
            }

            batch = member.Batch;
        }

        if (batch is not null)
        {
            member.Completion.TrySetCanceled(member.Token);
            batch.MemberCancelled();
        }
    }

    public void Dispose()
    {
        PluginBatchMember[] abandoned;
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
        foreach (var member in abandoned)
        {
            member.Registration.Dispose();
            member.Completion.TrySetException(new ObjectDisposedException(nameof(PluginBatcher), "the engine was unloaded"));
        }
    }

    private async Task RunLoopAsync()
    {
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
                else if (PlanLocked(out var wait) == 0)
                {
                    sleep = wakeup.SleepLocked(wait);
                }
            }

            if (sleep is not null)
            {
                await sleep.ConfigureAwait(false);
                continue;
            }

            EngineInstance<IEnginePlugin> instance;
            try
            {
                instance = await instances.AcquireAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            PluginBatch? batch = null;
            lock (gate)
            {
                // Planned again: requests may have come or gone while the instances were busy.
                var take = disposed ? 0 : PlanLocked(out _);
                if (take > 0)
                {
                    var members = new PluginBatchMember[take];
                    for (var i = 0; i < take; i++)
                    {
                        members[i] = queue.First!.Value;
                        queue.RemoveFirst();
                    }

                    batch = new PluginBatch(members);
                    foreach (var member in members)
                    {
                        member.Batch = batch;
                    }
                }
            }

            if (batch is null)
            {
                instances.Release(instance);
                continue;
            }

            // Its own task: a plugin that works synchronously must not hold up the forming of the next batch.
            _ = Task.Run(() => RunAsync(batch, instance));
        }
    }

    private async Task RunAsync(PluginBatch batch, EngineInstance<IEnginePlugin> instance)
    {
        IReadOnlyList<PluginResult>? results = null;
        Exception? failure = null;
        try
        {
            results = await batch.RunAsync(instance.Value).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever the plugin threw goes to its callers; nothing may escape this task unobserved.
            failure = e;
        }
        finally
        {
            instances.Release(instance);
        }

        Counters.Record(batch.Members.Count);
        for (var i = 0; i < batch.Members.Count; i++)
        {
            var member = batch.Members[i];
            member.Registration.Dispose();
            member.Finish(results?[i], failure);
        }
    }

    /// <summary>Under the lock: how many to take now (0: not due, and how long until it is).</summary>
    private int PlanLocked(out TimeSpan wait)
    {
        var take = PluginBatchPlanner.Plan(queue.Count, queue.First?.Value.EnqueuedAt ?? 0, options, delayTicks, time.GetTimestamp(), out var remaining);
        wait = Scheduling.BatchWakeup.DelayFrom(remaining, time);
        return take;
    }
}
