using Inference.Host.Protocol.Engine;

namespace Inference.Host.Streaming;

/// <summary>
/// The host's codes for streaming sessions, beside the engine API's (<see cref="EngineErrorCodes"/>:
/// 10400-10406 for a frame that does not fit the manifest, 10101, 10110, 10111 before the upgrade) and
/// in the ASE loader's ranges where it has one (10019 session timeout, 10106 invalid output).
/// </summary>
public static class StreamErrorCodes
{
    /// <summary>A frame the protocol cannot read: not JSON or not the frame shape, a status out of order, parameters after the first frame.</summary>
    public const int InvalidFrame = EngineErrorCodes.InvalidRequest;

    /// <summary>A sequence number that was already received.</summary>
    public const int DuplicateSequence = 10408;

    /// <summary>A sequence number beyond the reorder window, or after the frame that ended the stream.</summary>
    public const int SequenceGap = 10409;

    /// <summary>A message larger than <c>Host:StreamMaxMessageBytes</c>.</summary>
    public const int MessageTooLarge = 10410;

    /// <summary>No frame either way for <c>Host:StreamIdleTimeoutSeconds</c> (the ASE loader's session timeout).</summary>
    public const int IdleTimeout = 10019;

    /// <summary>The session reached <c>Host:StreamMaxLifetimeSeconds</c>.</summary>
    public const int LifetimeExceeded = 10112;

    /// <summary>A native async plugin called back with results faster than the client read them, past what the session holds.</summary>
    public const int ResultsOverflow = 10113;

    /// <summary>The engine has no streaming sessions (ONNX-only, or a plugin that refuses them).</summary>
    public const int NotStreamable = 10114;

    /// <summary>The plugin ended its results without an End result (the ASE loader's invalid output).</summary>
    public const int InvalidOutput = 10106;

    /// <summary>The host failed (the engine API's 10909).</summary>
    public const int HostFailure = 10909;
}
