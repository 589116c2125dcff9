using System.Diagnostics.CodeAnalysis;
using Inference.Host.Scheduling;

namespace Inference.Host.Engines;

/// <summary>
/// The instances of one plugin engine version and who may call them. A call takes the least busy
/// instance with room, else waits in arrival order, cancellably. Instances are added and removed live:
/// a removed instance leaves the rotation at once, finishes its calls in progress, and only then is shut
/// down, so no request is dropped or failed. One lock guards it all: a plugin call costs far more.
/// </summary>
/// <remarks>
/// The ONNX side's <see cref="InstancePool"/> is bound to ORT sessions (and lock-free for the tensor
/// path's microseconds); plugin objects are created and shut down asynchronously, hence this pool.
/// </remarks>
public sealed class EngineInstancePool<T> : IAsyncDisposable
    where T : class
{
    private readonly Lock gate = new();
    private readonly LinkedList<TaskCompletionSource<EngineInstance<T>>> waiters = new();
    private readonly SemaphoreSlim resizing = new(1, 1);
    private readonly IReadOnlyList<InstanceDevice> devices;
    private readonly Func<int, InstanceDevice, CancellationToken, ValueTask<T>> create;
    private readonly Func<EngineInstance<T>, ValueTask> shutDown;
    private EngineInstance<T>[] rotation = [];
    private int nextId;
    private bool disposed;

    /// <param name="devices">The devices, filled evenly in this order (at least one).</param>
    /// <param name="runsPerInstance">Calls one instance takes at once: 1 for declared instances, <see cref="ModelInstance.Unlimited"/> for the default one.</param>
    /// <param name="create">Makes and initialises the instance with this number on this device.</param>
    /// <param name="shutDown">Shuts a removed instance down once its calls are done (and every instance when the pool is disposed).</param>
    public EngineInstancePool(IReadOnlyList<InstanceDevice> devices, int runsPerInstance, Func<int, InstanceDevice, CancellationToken, ValueTask<T>> create, Func<EngineInstance<T>, ValueTask> shutDown)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices.Count, 1, nameof(devices));
        ArgumentOutOfRangeException.ThrowIfLessThan(runsPerInstance, 1);
        this.devices = devices;
        this.create = create;
        this.shutDown = shutDown;
        RunsPerInstance = runsPerInstance;
    }

    public int RunsPerInstance { get; }

    /// <summary>Instances in the rotation.</summary>
    public IReadOnlyList<EngineInstance<T>> Instances => Volatile.Read(ref rotation);

    public int Count => Instances.Count;

    /// <summary>Calls waiting for an instance.</summary>
    public int Waiting
    {
        get
        {
            lock (gate)
            {
                return waiters.Count;
            }
        }
    }

    /// <summary>Takes an instance with room, waiting in turn when all are busy; pair with <see cref="Release"/>.</summary>
    /// <exception cref="ObjectDisposedException">the engine was unloaded.</exception>
    public ValueTask<EngineInstance<T>> AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<EngineInstance<T>> waiter;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (waiters.Count == 0 && TryEnterLocked(out var free))
            {
                return ValueTask.FromResult(free);
            }

            waiter = new TaskCompletionSource<EngineInstance<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.AddLast(waiter);
        }

        return new ValueTask<EngineInstance<T>>(WaitAsync(waiter, cancellationToken));
    }

    public void Release(EngineInstance<T> instance)
    {
        lock (gate)
        {
            instance.Exit();
            HandOverLocked();
        }
    }

    /// <summary>
    /// Adds instances (on the least used devices) or removes the newest until there are
    /// <paramref name="count"/>; a removal returns once the instance's calls are done and it is shut down.
    /// </summary>
    public async Task SetCountAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await resizing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (Count < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await AddAsync(cancellationToken).ConfigureAwait(false);
            }

            while (Count > count)
            {
                await RemoveNewestAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            resizing.Release();
        }
    }

    /// <summary>Fails the waiting calls and shuts every instance down; calls in progress are not waited for (the host is stopping).</summary>
    public async ValueTask DisposeAsync()
    {
        TaskCompletionSource<EngineInstance<T>>[] abandoned;
        EngineInstance<T>[] instances;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            abandoned = waiters.ToArray();
            waiters.Clear();
            instances = rotation;
        }

        foreach (var waiter in abandoned)
        {
            waiter.TrySetException(new ObjectDisposedException(GetType().Name, "the engine was unloaded"));
        }

        foreach (var instance in instances)
        {
            await shutDown(instance).ConfigureAwait(false);
        }
    }

    private async Task<EngineInstance<T>> WaitAsync(TaskCompletionSource<EngineInstance<T>> waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static s => ((State)s!).Cancel(), new State(this, waiter, cancellationToken)))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(TaskCompletionSource<EngineInstance<T>> waiter, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            // Handed an instance already (or failed at dispose): the caller releases or sees that.
            if (!waiters.Remove(waiter))
            {
                return;
            }
        }

        waiter.TrySetCanceled(cancellationToken);
    }

    private async Task AddAsync(CancellationToken cancellationToken)
    {
        int id;
        InstanceDevice device;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            id = nextId++;
            device = NextDeviceLocked();
        }

        // Initialising a plugin takes a while: outside the lock, while the others serve.
        var instance = new EngineInstance<T>(id, device, await create(id, device, cancellationToken).ConfigureAwait(false));
        lock (gate)
        {
            if (!disposed)
            {
                Volatile.Write(ref rotation, [.. rotation, instance]);
                HandOverLocked();
                return;
            }
        }

        await shutDown(instance).ConfigureAwait(false);
        throw new ObjectDisposedException(GetType().Name, "the engine was unloaded");
    }

    private async Task RemoveNewestAsync()
    {
        EngineInstance<T> instance;
        Task drained;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (rotation.Length == 1)
            {
                throw new InvalidOperationException("the last instance of an engine cannot be removed");
            }

            instance = rotation[^1];
            Volatile.Write(ref rotation, rotation[..^1]);
            drained = instance.Retire();
        }

        await drained.ConfigureAwait(false);
        await shutDown(instance).ConfigureAwait(false);
    }

    private void HandOverLocked()
    {
        while (waiters.First is { } first && TryEnterLocked(out var instance))
        {
            waiters.RemoveFirst();
            first.Value.TrySetResult(instance);
        }
    }

    /// <summary>The instance with the fewest calls that has room (ties: the oldest).</summary>
    private bool TryEnterLocked([NotNullWhen(true)] out EngineInstance<T>? instance)
    {
        instance = null;
        foreach (var candidate in rotation)
        {
            if (candidate.Running < RunsPerInstance && (instance is null || candidate.Running < instance.Running))
            {
                instance = candidate;
            }
        }

        instance?.Enter();
        return instance is not null;
    }

    /// <summary>The configured device with the fewest instances (ties: the first configured).</summary>
    private InstanceDevice NextDeviceLocked()
    {
        var best = devices[0];
        var fewest = int.MaxValue;
        foreach (var device in devices)
        {
            var count = rotation.Count(i => i.Device == device);
            if (count < fewest)
            {
                (best, fewest) = (device, count);
            }
        }

        return best;
    }

    private sealed record State(EngineInstancePool<T> Pool, TaskCompletionSource<EngineInstance<T>> Waiter, CancellationToken Token)
    {
        public void Cancel() => Pool.Cancel(Waiter, Token);
    }
}
