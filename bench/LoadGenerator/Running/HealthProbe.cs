using System.Diagnostics;
using Inference.LoadGenerator.Http;
using Inference.LoadGenerator.Measurement;

namespace Inference.LoadGenerator.Running;

/// <summary>
/// A separate connection asking the health URL every interval while the load runs, to show whether
/// the host stays responsive under it. Intervals are start to start; a slow answer is followed by
/// the next request at once rather than a burst of missed ones.
/// </summary>
internal sealed class HealthProbe(IRequestSender sender, TimeSpan interval, RunClock clock)
{
    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    public RequestStats Stats { get; } = new();

    public void Start() => loop = Task.Run(LoopAsync);

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

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var status = await sender.SendAsync();
                    if (clock.Measuring)
                    {
                        Stats.RecordResponse(status, Nanoseconds.Since(start));
                    }
                }
                catch (TransportException e)
                {
                    if (clock.Measuring)
                    {
                        Stats.RecordError(e.Kind);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
