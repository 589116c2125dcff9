namespace Inference.Host.Streaming;

/// <summary>
/// A session's failure as a value: its code (the host's or the plugin's), a message naming what was wrong,
/// its class, and for plugin codes the manifest's description and handling strategy.
/// </summary>
public sealed record StreamFailure(StreamFailureKind Kind, int Code, string Message, string? Description = null, string? Strategy = null)
{
    public static StreamFailure Protocol(int code, string message) => new(StreamFailureKind.Protocol, code, message);

    public static StreamFailure Internal(string message) => new(StreamFailureKind.Internal, StreamErrorCodes.HostFailure, message);

    /// <summary>A plugin's refusal, with the manifest's description (or name) and strategy for its code.</summary>
    public static StreamFailure FromPlugin(Engines.EnginePluginException e, Packaging.Manifest.PluginManifest manifest)
    {
        var declared = manifest.Errors.FirstOrDefault(x => x.Code == e.Code);
        return new StreamFailure(StreamFailureKind.Plugin, e.Code, e.Message, declared?.Description ?? declared?.Name, declared?.Strategy);
    }
}
