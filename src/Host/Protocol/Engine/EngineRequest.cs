namespace Inference.Host.Protocol.Engine;

/// <summary>
/// An engine-level request after validation against the manifest: parameters typed and with defaults
/// filled in, the outputs asked for (segment and encoding), and the payload segments.
/// </summary>
public sealed record EngineRequest(
    string RequestId,
    string? AppId,
    int Status,
    IReadOnlyDictionary<string, object?> Parameters,
    IReadOnlyDictionary<string, string?> Expect,
    IReadOnlyDictionary<string, EngineDataSegment> Payload);
