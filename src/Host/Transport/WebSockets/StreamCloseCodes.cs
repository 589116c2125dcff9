using Inference.Host.Streaming;

namespace Inference.Host.Transport.WebSockets;

/// <summary>
/// The close codes of a streaming session: RFC 6455's where one fits, else 4000 + the HTTP status of the
/// same failure on the one-shot API (4400 bad request, 4408 timeout, 4422 the plugin's error, 4429 too
/// slow a reader). The error frame before the close carries the precise code.
/// </summary>
public static class StreamCloseCodes
{
    /// <summary>The stream ended: the End result was sent (or the client closed first, echoed).</summary>
    public const int Normal = 1000;

    /// <summary>The host is shutting down.</summary>
    public const int GoingAway = 1001;

    /// <summary>A message over <c>Host:StreamMaxMessageBytes</c> (10410).</summary>
    public const int TooLarge = 1009;

    /// <summary>The host failed (10909).</summary>
    public const int Internal = 1011;

    /// <summary>A bad frame, sequence or parameter (104xx), or an engine without sessions (10114).</summary>
    public const int Protocol = 4400;

    /// <summary>Idle timeout (10019) or the session's lifetime (10112).</summary>
    public const int Timeout = 4408;

    /// <summary>The plugin failed with one of its codes.</summary>
    public const int Plugin = 4422;

    /// <summary>The client read results too slowly for a plugin that cannot be held back (10113).</summary>
    public const int Overflow = 4429;

    public static int For(StreamFailureKind kind) => kind switch
    {
        StreamFailureKind.Protocol => Protocol,
        StreamFailureKind.TooLarge => TooLarge,
        StreamFailureKind.Timeout => Timeout,
        StreamFailureKind.Plugin => Plugin,
        StreamFailureKind.Overflow => Overflow,
        _ => Internal,
    };
}
