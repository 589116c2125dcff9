namespace Inference.Plugins.Sdk;

/// <summary>
/// A one-shot request as the plugin sees it: parameters already checked against the manifest and typed
/// (long, double, bool, string, DateTimeOffset/TimeSpan) with defaults filled in, the request segments,
/// the outputs asked for, and the personalization resources to apply.
/// </summary>
public sealed record PluginRequest(
    string RequestId,
    IReadOnlyDictionary<string, object?> Parameters,
    IReadOnlyDictionary<string, PluginData> Data,
    IReadOnlyDictionary<string, string?> Expect,
    IReadOnlyList<uint> ResourceIds);
