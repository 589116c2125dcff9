namespace Inference.Plugins.Sdk;

/// <summary>
/// What the host hands a plugin at init: its unpacked package folder, the manifest's settings and
/// environment, and the host's services (ONNX sessions, pooled buffers).
/// </summary>
public sealed record PluginContext(
    string PackageDirectory,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Environment,
    IPluginServices Services);
