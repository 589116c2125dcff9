using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>Log messages of the dedicated health listener (event ids 1400-1409).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Health probes answered on {Address}:{Port} by dedicated threads ({Paths})")]
    public static partial void Listening(ILogger logger, string address, int port, string paths);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Health listener: {Open} connections are open, the most it serves at once; a new one was answered 503 and closed")]
    public static partial void TooManyConnections(ILogger logger, int open);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Debug, Message = "Health connection from {Remote} ended: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string remote, string reason);
}
