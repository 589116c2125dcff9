using Inference.Host.Scheduling;

namespace Inference.Host.Engines;

/// <summary>
/// One instance of a plugin engine version in an <see cref="EngineInstancePool{T}"/>: the plugin object,
/// its number and device, and its calls in progress. The counts change under the pool's lock; they are
/// read without it for statistics.
/// </summary>
public sealed class EngineInstance<T>
    where T : class
{
    private int running;
    private long runs;
    private TaskCompletionSource? drained;

    internal EngineInstance(int id, InstanceDevice device, T value)
    {
        Id = id;
        Device = device;
        Value = value;
    }

    /// <summary>Number within its engine version (0 for the first), never reused.</summary>
    public int Id { get; }

    public InstanceDevice Device { get; }

    public T Value { get; }

    /// <summary>Calls in progress on this instance.</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>Calls this instance has started.</summary>
    public long Runs => Volatile.Read(ref runs);

    /// <summary>Taken out of the rotation: starts nothing new, and is shut down once its calls are done.</summary>
    public bool IsRetired => Volatile.Read(ref drained) is not null;

    /// <summary>Under the pool's lock.</summary>
    internal void Enter()
    {
        Interlocked.Increment(ref running);
        Interlocked.Increment(ref runs);
    }

    /// <summary>Under the pool's lock; completes the drain of a retired instance with its last call.</summary>
    internal void Exit()
    {
        if (Interlocked.Decrement(ref running) == 0)
        {
            drained?.TrySetResult();
        }
    }

    /// <summary>Under the pool's lock: stops new calls; the task completes when the calls in progress are done.</summary>
    internal Task Retire()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref drained, done);
        if (Running == 0)
        {
            done.TrySetResult();
        }

        return done.Task;
    }
}
