using System.Diagnostics.CodeAnalysis;

namespace Inference.Host.Scheduling;

/// <summary>
/// The instances of one model version and who may run on them. A run takes an instance with room
/// (lock-free when one is free and nobody waits), else waits in FIFO order, cancellably. Instances
/// can be added and removed while serving: a removed instance leaves the rotation at once, finishes
/// the runs it has, and only then closes its session, so no request is dropped or failed.
/// </summary>
public sealed class InstancePool : IDisposable
{
    private readonly Lock gate = new();
    private readonly LinkedList<InstanceWaiter> waiters = new();
    private readonly SemaphoreSlim resizing = new(1, 1);
    private readonly InstanceFactory? factory;
    private volatile ModelInstance[] rotation;
    private int waiting;
    private int nextId;
    private bool disposed;

    /// <param name="instances">The first instances (at least one); the first is <see cref="Primary"/>.</param>
    /// <param name="runsPerInstance">Runs one instance takes at once: 1 for declared instances, <see cref="ModelInstance.Unlimited"/> for the shared default.</param>
    /// <param name="factory">Makes instances for <see cref="SetCountAsync"/>; without one the count is fixed.</param>
    public InstancePool(IEnumerable<ModelInstance> instances, int runsPerInstance, InstanceFactory? factory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runsPerInstance, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(runsPerInstance, ModelInstance.Unlimited);
        rotation = instances.ToArray();
        if (rotation.Length == 0)
        {
            throw new ArgumentException("a pool needs at least one instance", nameof(instances));
        }

        foreach (var instance in rotation)
        {
            instance.Id = nextId++;
        }

        Primary = rotation[0];
        RunsPerInstance = runsPerInstance;
        this.factory = factory;
    }

    /// <summary>
    /// The first instance: its session answers metadata questions for the model. Removing it takes it
    /// out of the rotation, but its session stays open until the pool is disposed.
    /// </summary>
    public ModelInstance Primary { get; }

    public int RunsPerInstance { get; }

    /// <summary>Instances in the rotation.</summary>
    public IReadOnlyList<ModelInstance> Instances => rotation;

    public int Count => rotation.Length;

    /// <summary>Instances in the rotation with a run in progress.</summary>
    public int Busy => rotation.Count(i => i.Running > 0);

    /// <summary>Runs in progress on the instances in the rotation.</summary>
    public int Running => rotation.Sum(i => i.Running);

    /// <summary>Runs waiting for an instance.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>A pool of one instance that takes any number of runs at once, and cannot grow.</summary>
    public static InstancePool Shared(Onnx.Runtime.InferenceSession session) =>
        new([new ModelInstance(session, new InstanceDevice(session.Provider.Effective, 0))], ModelInstance.Unlimited);

    /// <summary>Takes an instance with room if there is one and nobody is waiting; pair with <see cref="Release"/>.</summary>
    public bool TryAcquire([NotNullWhen(true)] out ModelInstance? instance)
    {
        if (Volatile.Read(ref waiting) == 0)
        {
            return TryEnterAny(out instance);
        }

        instance = null;
        return false;
    }

    /// <summary>Takes an instance, waiting for one in turn when all are busy; pair with <see cref="Release"/>.</summary>
    public ValueTask<ModelInstance> AcquireAsync(CancellationToken cancellationToken)
    {
        return TryAcquire(out var instance) ? ValueTask.FromResult(instance) : WaitAsync(cancellationToken);
    }

    public void Release(ModelInstance instance)
    {
        instance.Exit();
        if (Volatile.Read(ref waiting) > 0)
        {
            lock (gate)
            {
                HandOverLocked();
            }
        }
    }

    /// <summary>Puts an instance into the rotation; a waiting run gets it at once.</summary>
    public void Add(ModelInstance instance)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            instance.Id = nextId++;
            rotation = [.. rotation, instance];
            HandOverLocked();
        }
    }

    /// <summary>
    /// Takes <paramref name="instance"/> out of the rotation, waits for its runs in progress, then
    /// closes its session. The last instance cannot be removed (its waiting runs would never run).
    /// </summary>
    public async Task RemoveAsync(ModelInstance instance)
    {
        Task drained;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (Array.IndexOf(rotation, instance) < 0)
            {
                throw new InvalidOperationException($"instance {instance.Id} is not in the rotation");
            }

            if (rotation.Length == 1)
            {
                throw new InvalidOperationException("the last instance of a model cannot be removed");
            }

            rotation = rotation.Where(i => i != instance).ToArray();
            drained = instance.Retire();
        }

        await drained.ConfigureAwait(false);
        if (instance != Primary)
        {
            instance.Dispose();
        }
    }

    /// <summary>Adds instances (on the least used devices) or removes the newest until there are <paramref name="count"/>.</summary>
    public async Task SetCountAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (factory is null)
        {
            throw new InvalidOperationException("this pool has no instance factory: its instances are fixed");
        }

        await resizing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (Count < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var instance = factory.CreateNext(rotation);
                try
                {
                    Add(instance);
                }
                catch
                {
                    instance.Dispose();
                    throw;
                }
            }

            while (Count > count)
            {
                await RemoveAsync(rotation[^1]).ConfigureAwait(false);
            }
        }
        finally
        {
            resizing.Release();
        }
    }

    public void Dispose()
    {
        InstanceWaiter[] abandoned;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            abandoned = waiters.ToArray();
            waiters.Clear();
            Volatile.Write(ref waiting, 0);
        }

        foreach (var waiter in abandoned)
        {
            waiter.Fail(new ObjectDisposedException(nameof(InstancePool), "the model was unloaded"));
        }

        // A run still in progress keeps its native session alive (the session handle is reference-counted).
        foreach (var instance in rotation)
        {
            instance.Dispose();
        }

        Primary.Dispose();
    }

    internal void Cancel(InstanceWaiter waiter)
    {
        lock (gate)
        {
            if (waiter.Node.List is null)
            {
                return; // already handed an instance
            }

            waiters.Remove(waiter.Node);
            Interlocked.Decrement(ref waiting);
        }

        waiter.Cancel();
    }

    private async ValueTask<ModelInstance> WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new InstanceWaiter(this, cancellationToken);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            waiters.AddLast(waiter.Node);
            // Counted before looking again: a release that ran since TryAcquire either left room that
            // this look finds, or sees the count and hands over under the lock.
            Interlocked.Increment(ref waiting);
            HandOverLocked();
        }

        return await waiter.WaitAsync().ConfigureAwait(false);
    }

    private void HandOverLocked()
    {
        while (waiters.First is { } first && TryEnterAny(out var instance))
        {
            waiters.RemoveFirst();
            Interlocked.Decrement(ref waiting);
            if (!first.Value.Complete(instance))
            {
                instance.Exit();
            }
        }
    }

    /// <summary>Enters the instance with the fewest runs that has room (the first free one when each takes one run).</summary>
    private bool TryEnterAny([NotNullWhen(true)] out ModelInstance? instance)
    {
        var capacity = RunsPerInstance;
        while (true)
        {
            ModelInstance? best = null;
            var fewest = int.MaxValue;
            foreach (var candidate in rotation)
            {
                var running = candidate.Running;
                if (running < capacity && running < fewest && !candidate.IsRetired)
                {
                    (best, fewest) = (candidate, running);
                    if (running == 0)
                    {
                        break;
                    }
                }
            }

            if (best is null)
            {
                instance = null;
                return false;
            }

            if (best.TryEnter(capacity))
            {
                instance = best;
                return true;
            }

            // Lost a race for that slot (or the instance was just retired): look again.
        }
    }
}
