using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>Log messages of plugin engine instances and batching (event ids 1300-1319).</summary>
internal static partial class EngineInstancesLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Engine {Service} {Version}: {Count} instances ({Devices}), {Runs} runs at once per instance; batching: {Batching}")]
    public static partial void InstancesReady(ILogger logger, string service, string version, int count, string devices, string runs, string batching);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Engine {Service} {Version}: instances changed from {From} to {To}")]
    public static partial void InstanceCountChanged(ILogger logger, string service, string version, int from, int to);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Engine {Service} {Version}: the instance count was not changed: {Reason}")]
    public static partial void InstanceCountNotChanged(ILogger logger, string service, string version, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Engine {Service} {Version}: instance {Id} on {Device}: {Warning}")]
    public static partial void ProviderFallback(ILogger logger, string service, string version, int id, string device, string warning);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Engine {Service} {Version}: model outputs {Outputs} have no dynamic first dimension; requests that ask for them are not batched")]
    public static partial void UnbatchableOutputs(ILogger logger, string service, string version, string outputs);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Engine {Service} {Version}: Batching:MaxBatchSize is {MaxBatchSize} but at most {Optimal} requests run at once (OptimalConcurrency), so no batch can grow beyond {Optimal}")]
    public static partial void BatchAboveConcurrency(ILogger logger, string service, string version, int maxBatchSize, int optimal);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Engine {Service} {Version}: instance {Id} failed to shut down: {Reason}")]
    public static partial void ShutdownFailed(ILogger logger, string service, string version, int id, string reason);
}
