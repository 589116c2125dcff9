namespace Inference.Host.Streaming;

/// <summary>Why a session failed, in the few classes a transport maps to its own codes (WebSocket close codes).</summary>
public enum StreamFailureKind
{
    /// <summary>The client broke the protocol or the manifest: a bad frame, sequence or parameter.</summary>
    Protocol,

    /// <summary>A message larger than the limit.</summary>
    TooLarge,

    /// <summary>The idle timeout or the session's lifetime passed.</summary>
    Timeout,

    /// <summary>The plugin failed with one of its codes.</summary>
    Plugin,

    /// <summary>The client read results too slowly for a plugin that cannot be held back.</summary>
    Overflow,

    /// <summary>The host failed.</summary>
    Internal,
}
