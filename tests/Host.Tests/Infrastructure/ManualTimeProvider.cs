namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when the test calls <see cref="Advance"/>; timers created from it fire
/// then (on the advancing thread), so code that waits on it can be driven step by step.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private long elapsedTicks;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(Interlocked.Read(ref elapsedTicks));

    public override long GetTimestamp() => Interlocked.Read(ref elapsedTicks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires every timer that falls due, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target;
        lock (gate)
        {
            target = elapsedTicks + by.Ticks;
        }

        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    Interlocked.Exchange(ref elapsedTicks, target);
                    return;
                }

                Interlocked.Exchange(ref elapsedTicks, Math.Max(elapsedTicks, next.Due));
                next.Fired();
            }

            next.Invoke();
        }
    }

    private void Schedule(ManualTimer timer, bool scheduled)
    {
        lock (gate)
        {
            timers.Remove(timer);
            if (scheduled)
            {
                timers.Add(timer);
            }
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long period = -1;

        public long Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                this.period = period == Timeout.InfiniteTimeSpan ? -1 : period.Ticks;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    owner.Schedule(this, scheduled: false);
                    return true;
                }

                Due = owner.elapsedTicks + dueTime.Ticks;
                owner.Schedule(this, scheduled: true);
                return true;
            }
        }

        /// <summary>Under the owner's lock: reschedules a periodic timer, drops a one-shot one.</summary>
        public void Fired()
        {
            if (period > 0)
            {
                Due += period;
            }
            else
            {
                owner.timers.Remove(this);
            }
        }

        public void Invoke() => callback(state);

        public void Dispose() => owner.Schedule(this, scheduled: false);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
