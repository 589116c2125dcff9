using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>Log messages of the gRPC transport (event ids 1500-1519).</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "gRPC (inference.GRPCInferenceService, grpc.health.v1.Health) on h2c port {Port}; messages up to {MaxMessageBytes} bytes")]
    public static partial void Listening(ILogger logger, int port, int maxMessageBytes);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "gRPC {Path} ended with {Code}: {Message}")]
    public static partial void CallFailed(ILogger logger, string path, string code, string? message);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug, Message = "gRPC {Path} was cancelled by the client after {Milliseconds} ms; its work was stopped")]
    public static partial void CallCancelled(ILogger logger, string path, double milliseconds);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "gRPC {Path} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Debug, Message = "gRPC {Path}: refused before reading, {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Debug, Message = "gRPC ModelStreamInfer: request {Index} of the stream failed, the stream goes on: {Message}")]
    public static partial void StreamRequestFailed(ILogger logger, long index, string message);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "gRPC model {Model}: ONNX Runtime failed: {Message}")]
    public static partial void RunFailed(ILogger logger, string model, string message);
}
