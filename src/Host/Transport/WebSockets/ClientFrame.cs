using Inference.Host.Protocol.Engine;

namespace Inference.Host.Transport.WebSockets;

/// <summary>
/// A client's text frame, read and checked against the manifest: the session's parameters and expected
/// outputs (first frame only), its sequence number if it gave one, and one chunk per payload segment.
/// </summary>
internal sealed record ClientFrame(
    IReadOnlyDictionary<string, object?>? Parameters,
    IReadOnlyDictionary<string, string?> Expect,
    long? Seq,
    IReadOnlyList<EngineDataSegment> Chunks);
