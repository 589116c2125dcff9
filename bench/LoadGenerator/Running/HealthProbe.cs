using System.Diagnostics;
using Inference.LoadGenerator.Http;
using Inference.LoadGenerator.Measurement;

namespace Inference.LoadGenerator.Running;

/// <summary>
/// A separate connection asking the health URL every interval while the load runs, to show whether
/// the host stays responsive under it. Intervals are start to start; a slow answer is followed by
/// the next request at once rather than a burst of missed ones. It runs on its own thread with a
/// blocking sender, like a kubelet probing from outside: what it measures is the host's answer, not
/// this process's thread pool, which the load's clients keep saturated.
/// </summary>
internal sealed class HealthProbe(IRequestSender sender, TimeSpan interval, RunClock clock)
{
    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    public RequestStats Stats { get; } = new();

    public void Start() => loop = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        sender.Abort();
        if (loop is not null)
        {
            await loop;
        }

        sender.Dispose();
        stop.Dispose();
    }

    private void Loop()
    {
        var intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        var next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                // A blocking sender completes synchronously, on this thread.
                var status = sender.SendAsync().AsTask().GetAwaiter().GetResult();
                if (clock.Measuring)
                {
                    Stats.RecordResponse(status, Nanoseconds.Since(start));
                }
            }
            catch (TransportException e)
            {
                if (clock.Measuring && !stop.IsCancellationRequested)
                {
                    Stats.RecordError(e.Kind);
                }
            }

            next = Math.Max(next + intervalTicks, Stopwatch.GetTimestamp());
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero && stop.Token.WaitHandle.WaitOne(wait))
            {
                return;
            }
        }
    }
}
