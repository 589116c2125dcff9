namespace Inference.Plugins.Sdk;

/// <summary>
/// What the host hands a plugin at init: its unpacked package folder, the manifest's settings and
/// environment, and the host's services (ONNX sessions, pooled buffers). With
/// <c>Engines:{service}:Instances</c> the host makes several plugin objects; each gets its own number
/// and device, and its services open models on that device.
/// </summary>
public sealed record PluginContext(
    string PackageDirectory,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> Environment,
    IPluginServices Services)
{
    /// <summary>This plugin object's number within its engine version (0 for the first).</summary>
    public int InstanceId { get; init; }

    /// <summary>Where this instance's models run: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";
}
