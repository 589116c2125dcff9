namespace Inference.Plugins.Sdk;

/// <summary>
/// A failure the plugin reports with one of its manifest's error codes; the host answers with the
/// code, its description and handling strategy from the manifest, and this message.
/// </summary>
public sealed class PluginException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
