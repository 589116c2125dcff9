namespace Inference.Host.Streaming;

/// <summary>
/// A session's two clocks: idle (nothing received or sent for the idle timeout) and lifetime (since it
/// opened). One timer, re-armed only when it fires: activity just stores a timestamp, so a busy session
/// pays one clock read per frame and no timer change. Times come from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class StreamDeadlines : IDisposable
{
    private readonly TimeProvider time;
    private readonly TimeSpan idle;
    private readonly TimeSpan lifetime;
    private readonly Action<StreamExpiry> expired;
    private readonly long start;
    private readonly ITimer timer;
    private long lastActivity;
    private int done;

    public StreamDeadlines(TimeProvider time, TimeSpan idle, TimeSpan lifetime, Action<StreamExpiry> expired)
    {
        this.time = time;
        this.idle = idle;
        this.lifetime = lifetime;
        this.expired = expired;
        start = lastActivity = time.GetTimestamp();
        timer = time.CreateTimer(static s => ((StreamDeadlines)s!).OnTimer(), this, Min(idle, lifetime), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Something was received or sent: the idle clock starts again.</summary>
    public void Touch() => Volatile.Write(ref lastActivity, time.GetTimestamp());

    public void Dispose()
    {
        Volatile.Write(ref done, 1);
        timer.Dispose();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void OnTimer()
    {
        if (Volatile.Read(ref done) == 1)
        {
            return;
        }

        var now = time.GetTimestamp();
        var lived = time.GetElapsedTime(start, now);
        var quiet = time.GetElapsedTime(Volatile.Read(ref lastActivity), now);
        if (lived >= lifetime || quiet >= idle)
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                expired(lived >= lifetime ? StreamExpiry.Lifetime : StreamExpiry.Idle);
            }

            return;
        }

        timer.Change(Min(idle - quiet, lifetime - lived), Timeout.InfiniteTimeSpan);
    }
}
