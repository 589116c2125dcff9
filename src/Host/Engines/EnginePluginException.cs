namespace Inference.Host.Engines;

/// <summary>The plugin failed with one of its own codes; the endpoint adds the manifest's description and strategy.</summary>
public sealed class EnginePluginException(int code, string message, Exception? inner = null) : Exception(message, inner)
{
    public int Code { get; } = code;
}
