using System.Diagnostics;
using Inference.LoadGenerator.Http;

namespace Inference.LoadGenerator.Running;

/// <summary>
/// One timer for all of a level's connections: a request older than the timeout gets its connection
/// dropped. Cheaper on the hot path than a timer or a cancellation registration per request.
/// </summary>
internal sealed class TimeoutWatchdog : IDisposable
{
    private readonly IReadOnlyList<IRequestSender> senders;
    private readonly long timeoutTicks;
    private readonly Timer timer;

    public TimeoutWatchdog(IReadOnlyList<IRequestSender> senders, TimeSpan timeout)
    {
        this.senders = senders;
        timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        // A quarter of the timeout (10-100 ms): a timed-out request is noticed within 25% of its limit.
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerMillisecond * 100));
        timer = new Timer(_ => Check(), null, period, period);
    }

    public void Dispose() => timer.Dispose();

    private void Check()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var sender in senders)
        {
            sender.CheckTimeout(now, timeoutTicks);
        }
    }
}
