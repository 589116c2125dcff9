using Microsoft.Extensions.Logging;

namespace Inference.Host.Observability;

/// <summary>Log messages of model instances and dynamic batching (event ids 1100-1199).</summary>
internal static partial class SchedulingLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Model {Name} version {Version}: {Count} instances ({Devices}), {Runs} runs at once per instance; batching: {Batching}")]
    public static partial void InstancesReady(ILogger logger, string name, long version, int count, string devices, string runs, string batching);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Model {Name} version {Version}: outputs {Outputs} have no dynamic first dimension; requests that ask for them are not batched")]
    public static partial void UnbatchableOutputs(ILogger logger, string name, long version, string outputs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Model {Name} version {Version}: output {Output} of a batch of {Rows} rows has shape {Shape}, not the batch's rows; those requests ran one by one (logged once)")]
    public static partial void BatchOutputMismatch(ILogger logger, string name, long version, string output, long rows, string shape);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Model {Name} version {Version}: instances changed from {From} to {To}")]
    public static partial void InstanceCountChanged(ILogger logger, string name, long version, int from, int to);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Model {Name} version {Version}: the instance count was not changed: {Reason}")]
    public static partial void InstanceCountNotChanged(ILogger logger, string name, long version, string reason);
}
