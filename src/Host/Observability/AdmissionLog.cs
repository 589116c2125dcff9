using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>Log events of load control (ids 1200-1299).</summary>
public static partial class AdmissionLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "{Kind} {Name} {Version}: load limits now optimal {Optimal}, max {Max}, default timeout {TimeoutMicroseconds} us")]
    public static partial void LimitsChanged(ILogger logger, string kind, string name, string version, int optimal, int max, long timeoutMicroseconds);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "{Kind} {Name} {Version}: the reloaded configuration is not used, the previous limits stay: {Problem}")]
    public static partial void LimitsRefused(ILogger logger, string kind, string name, string version, string problem);
}
