namespace Inference.Host.Streaming;

/// <summary>
/// A session's failure as a value: its code (the host's or the plugin's), a message naming what was wrong,
/// its class, and for plugin codes the manifest's description and handling strategy.
/// </summary>
public sealed record StreamFailure(StreamFailureKind Kind, int Code, string Message, string? Description = null, string? Strategy = null)
{
    public static StreamFailure Protocol(int code, string message) => new(StreamFailureKind.Protocol, code, message);

    public static StreamFailure Internal(string message) => new(StreamFailureKind.Internal, StreamErrorCodes.HostFailure, message);
}
