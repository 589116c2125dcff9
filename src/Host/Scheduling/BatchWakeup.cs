namespace Inference.Host.Scheduling;

/// <summary>
/// How a batching loop sleeps: until woken (a request arrived, the batcher stops) or until the oldest
/// request's delay is up. Its owner calls the Locked methods under its own lock, and the timer takes
/// that same lock, so a timer's wake can never land between the owner's planning and its sleep.
/// Shared by the model batcher and the plugin batcher.
/// </summary>
public sealed class BatchWakeup : IDisposable
{
    private readonly Lock ownerLock;
    private readonly ITimer timer;
    private TaskCompletionSource? wake;

    public BatchWakeup(Lock ownerLock, TimeProvider time)
    {
        this.ownerLock = ownerLock;
        timer = time.CreateTimer(static s => ((BatchWakeup)s!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The planner's remaining wait, in <paramref name="time"/>'s timestamp ticks, as a delay of at least one tick.</summary>
    public static TimeSpan DelayFrom(long remainingTimestampTicks, TimeProvider time) =>
        TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(remainingTimestampTicks * (TimeSpan.TicksPerSecond / (double)time.TimestampFrequency))));

    /// <summary>Under the owner's lock: a task that completes at the next wake, or after <paramref name="wait"/> (infinite: only a wake).</summary>
    public Task SleepLocked(TimeSpan wait)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wake = signal;
        if (wait != Timeout.InfiniteTimeSpan)
        {
            timer.Change(wait, Timeout.InfiniteTimeSpan);
        }

        return signal.Task;
    }

    /// <summary>Under the owner's lock: ends the current sleep, if any.</summary>
    public void WakeLocked()
    {
        wake?.TrySetResult();
        wake = null;
    }

    public void Dispose() => timer.Dispose();

    private void Wake()
    {
        lock (ownerLock)
        {
            WakeLocked();
        }
    }
}
