using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>Log messages of the idle memory trimmer (event ids 1410-1419).</summary>
internal static partial class MemoryLog
{
    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "Idle after load: memory trimmed, resident {ResidentBeforeMiB} -> {ResidentAfterMiB} MiB, managed heap committed {CommittedBeforeMiB} -> {CommittedAfterMiB} MiB, {PooledMiB} MiB of pooled buffers released, native heap trimmed: {NativeTrimmed}")]
    public static partial void Trimmed(ILogger logger, double residentBeforeMiB, double residentAfterMiB, double committedBeforeMiB, double committedAfterMiB, double pooledMiB, bool nativeTrimmed);
}
