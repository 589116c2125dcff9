using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>Log events of streaming sessions (ids 1600-1619). Per-session events are Debug: a host may hold thousands.</summary>
public static partial class StreamLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Debug, Message = "Stream {SessionId} to {Service} {Version}: accepted")]
    public static partial void Accepted(ILogger logger, string sessionId, string service, string version);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Debug, Message = "Stream {SessionId} to {Service} {Version}: plugin session opened ({Kind})")]
    public static partial void Opened(ILogger logger, string sessionId, string service, string version, string kind);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Debug, Message = "Stream {SessionId} to {Service} {Version}: closed ({Outcome}, close code {CloseCode}) after {Milliseconds} ms, {Chunks} chunks in, {Results} results out")]
    public static partial void Closed(ILogger logger, string sessionId, string service, string version, string outcome, int closeCode, long milliseconds, long chunks, long results);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Debug, Message = "Stream {SessionId} to {Service} {Version}: refused the client's frame, code {Code}: {Message}")]
    public static partial void ProtocolError(ILogger logger, string sessionId, string service, string version, int code, string message);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "Stream {SessionId} to {Service} {Version}: the plugin failed with code {Code}: {Message}")]
    public static partial void PluginFailed(ILogger logger, string sessionId, string service, string version, int code, string message);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Debug, Message = "Stream {SessionId} to {Service} {Version}: {Message}")]
    public static partial void Expired(ILogger logger, string sessionId, string service, string version, string message);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Error, Message = "Stream {SessionId} to {Service} {Version}: the host failed")]
    public static partial void HostFailed(ILogger logger, string sessionId, string service, string version, Exception exception);

    [LoggerMessage(EventId = 1607, Level = LogLevel.Warning, Message = "Stream {SessionId} to {Service} {Version}: closing the plugin session failed")]
    public static partial void CloseFailed(ILogger logger, string sessionId, string service, string version, Exception exception);

    [LoggerMessage(EventId = 1608, Level = LogLevel.Debug, Message = "Stream to {Service} refused before the upgrade with {Status}, code {Code}: {Message}")]
    public static partial void Refused(ILogger logger, string service, int status, int code, string message);

    [LoggerMessage(EventId = 1609, Level = LogLevel.Warning, Message = "Stream {SessionId} to {Service} {Version}: {Message}")]
    public static partial void Overflow(ILogger logger, string sessionId, string service, string version, string message);
}
