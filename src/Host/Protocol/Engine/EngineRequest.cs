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
    IReadOnlyDictionary<string, EngineDataSegment> Payload)
{
    /// <summary><c>header.priority</c> as sent (a long when it is an integer), for admission to check; null when absent.</summary>
    public object? Priority { get; init; }

    /// <summary><c>header.timeout</c> in microseconds as sent (a long when it is an integer); null when absent.</summary>
    public object? Timeout { get; init; }
}
