namespace Inference.LoadGenerator.Measurement;

/// <summary>Why a request got no HTTP answer.</summary>
internal enum TransportErrorKind
{
    /// <summary>The connection could not be opened (refused, unreachable).</summary>
    Connect,

    /// <summary>No complete answer within the request timeout; the connection is dropped.</summary>
    Timeout,

    /// <summary>The server closed or reset the connection before the answer was complete.</summary>
    Closed,

    /// <summary>The answer was not well-formed HTTP/1.1.</summary>
    Protocol,
}
