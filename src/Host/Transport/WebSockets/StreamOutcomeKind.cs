namespace Inference.Host.Transport.WebSockets;

/// <summary>How a streaming session ended; the first to happen decides.</summary>
internal enum StreamOutcomeKind
{
    /// <summary>The End result was sent; closed with 1000.</summary>
    Ended,

    /// <summary>The client closed first; its close is echoed.</summary>
    ClientClosed,

    /// <summary>The connection dropped; nothing more can be sent.</summary>
    Disconnected,

    /// <summary>An error frame, then a close code that says why.</summary>
    Failed,

    /// <summary>The host is shutting down; closed with 1001.</summary>
    GoingAway,
}
