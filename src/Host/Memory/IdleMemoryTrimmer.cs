using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Memory;

/// <summary>
/// Brings memory back to its baseline after a load peak: every <c>Host:IdleTrimSeconds</c> it counts
/// the requests every admission gate has seen, and when some came since the last trim but none in the
/// last interval, it trims once (<see cref="MemoryTrim"/>). Trimming costs a blocking full collection,
/// which is why it waits for a quiet interval instead of running on a clock. 0 turns it off.
/// </summary>
public sealed class IdleMemoryTrimmer(
    ModelRegistry models,
    EngineRegistry engines,
    PinnedBufferPool buffers,
    IOptionsMonitor<ServerOptions> options,
    TimeProvider time,
    ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private readonly ActivityWatch watch = new();

    /// <summary>Requests seen by every gate so far (admitted, refused, cancelled or expired).</summary>
    public long RequestsSoFar()
    {
        long total = 0;
        foreach (var entry in models.All())
        {
            total += entry.Gate is { } gate ? Count(gate.Snapshot()) : 0;
        }

        foreach (var entry in engines.All())
        {
            total += entry.Gate is { } gate ? Count(gate.Snapshot()) : 0;
        }

        return total;
    }

    /// <summary>One check; returns the trim's result when it trimmed.</summary>
    public MemoryTrimResult? Check()
    {
        if (!watch.ShouldTrim(RequestsSoFar()))
        {
            return null;
        }

        var result = MemoryTrim.Run(buffers);
        MemoryLog.Trimmed(logger, MiB(result.ResidentBefore), MiB(result.ResidentAfter), MiB(result.CommittedBefore), MiB(result.CommittedAfter), MiB(result.PooledBytesReleased), result.NativeHeapTrimmed);
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var seconds = options.CurrentValue.IdleTrimSeconds;
            // Off still re-reads the setting now and then, so turning it on in the settings file works live.
            await Task.Delay(TimeSpan.FromSeconds(seconds > 0 ? seconds : 5), time, stoppingToken).ConfigureAwait(false);
            if (seconds > 0)
            {
                Check();
            }
        }
    }

    private static long Count(Admission.AdmissionSnapshot s) => s.Admitted + s.Rejected;

    private static double MiB(long bytes) => Math.Round(bytes / 1048576.0, 1);
}
