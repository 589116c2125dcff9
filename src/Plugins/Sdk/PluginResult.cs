namespace Inference.Plugins.Sdk;

/// <summary>The response segments of a one-shot call.</summary>
public sealed record PluginResult(IReadOnlyList<PluginData> Data);
