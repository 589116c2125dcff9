using Inference.Onnx.Binding;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>The host's log messages, source-generated, with stable event ids.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "ONNX Runtime {Version} loaded from {Path} ({Source}); providers: {Providers}")]
    public static partial void OrtLoaded(ILogger logger, string version, string path, string source, string providers);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Model repository: {Repository}")]
    public static partial void RepositoryScanned(ILogger logger, string repository);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Model {Name} version {Version} is ready on {Provider} ({Inputs} inputs, {Outputs} outputs) in {Milliseconds} ms")]
    public static partial void ModelReady(ILogger logger, string name, long version, string provider, int inputs, int outputs, long milliseconds);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Model {Name} version {Version} is unavailable: {Reason}")]
    public static partial void ModelUnavailable(ILogger logger, string name, long version, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Model {Name} version {Version}: {Warning}")]
    public static partial void ProviderFallback(ILogger logger, string name, long version, string warning);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Repository loaded: {Ready} of {Total} model versions ready")]
    public static partial void RepositoryLoaded(ILogger logger, int ready, int total);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Engine {Service} {Version} ({Kind}) is ready from {Package}")]
    public static partial void EngineReady(ILogger logger, string service, string version, string kind, string package);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Package {Package} is unavailable: {Reason}")]
    public static partial void EngineUnavailable(ILogger logger, string package, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Engine {Service} {Version}: {Passed} of {Total} test cases passed at load in {Milliseconds} ms")]
    public static partial void TestCasesPassed(ILogger logger, string service, string version, int passed, int total, long milliseconds);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Model {Name} version {Version}: {Problem}")]
    public static partial void WarmUpFailed(ILogger logger, string name, long version, string problem);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Inference failed in ONNX Runtime for model {Name}: {Message}")]
    public static partial void RunFailed(ILogger logger, string name, string message);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "Unexpected error serving {Path}")]
    public static partial void Unexpected(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    public static void Ort(ILogger logger, OrtLoggingLevel severity, string category, string message)
    {
        var level = severity switch
        {
            OrtLoggingLevel.Verbose => LogLevel.Trace,
            OrtLoggingLevel.Info => LogLevel.Debug,
            OrtLoggingLevel.Warning => LogLevel.Warning,
            OrtLoggingLevel.Error => LogLevel.Error,
            _ => LogLevel.Critical,
        };
        OrtMessage(logger, level, category, message);
    }

    [LoggerMessage(EventId = 1900, Message = "[onnxruntime {Category}] {Message}")]
    private static partial void OrtMessage(ILogger logger, LogLevel level, string category, string message);
}
