namespace Inference.LoadGenerator.Running;

/// <summary>Samples a process's RSS through one level: at its start, then every interval for the peak.</summary>
internal sealed class MemorySampler(int pid, TimeSpan interval)
{
    private readonly CancellationTokenSource stop = new();
    private Task? loop;
    private long peak;

    public long? StartKib { get; private set; }

    public long PeakKib => Interlocked.Read(ref peak);

    /// <summary>Whether the process disappeared while being sampled.</summary>
    public bool Lost { get; private set; }

    public void Start()
    {
        StartKib = ProcessMemory.ReadRssKib(pid);
        peak = StartKib ?? 0;
        Lost = StartKib is null;
        loop = Task.Run(LoopAsync);
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                if (ProcessMemory.ReadRssKib(pid) is { } kib)
                {
                    if (kib > Interlocked.Read(ref peak))
                    {
                        Interlocked.Exchange(ref peak, kib);
                    }
                }
                else
                {
                    Lost = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
