namespace Inference.Host.Protocol.Engine;

/// <summary>
/// The host's error codes for the engine-level API, in the ASE loader's ranges (10400-10407 protocol
/// errors, 10110 concurrency exhausted, 10111 deadline exceeded, 10101 engine inactive). A plugin's own codes come from its manifest.
/// </summary>
public static class EngineErrorCodes
{
    /// <summary>The body is not the engine request shape (not JSON, wrong types, bad base64).</summary>
    public const int InvalidRequest = 10400;

    /// <summary>A required parameter is missing.</summary>
    public const int MissingParameter = 10401;

    /// <summary>A parameter has the wrong type, is out of range or not an allowed enum value.</summary>
    public const int InvalidParameter = 10402;

    /// <summary>A parameter the manifest does not declare.</summary>
    public const int UnknownParameter = 10403;

    /// <summary>A request data segment the manifest declares is missing.</summary>
    public const int MissingSegment = 10404;

    /// <summary>A data segment the manifest does not declare, or an encoding it does not accept.</summary>
    public const int InvalidSegment = 10405;

    /// <summary>An expected output that is not a response segment, or an encoding it does not produce.</summary>
    public const int InvalidExpect = 10406;

    public const int EngineInactive = 10101;

    public const int ConcurrencyExhausted = 10110;

    /// <summary>The request's deadline passed while it was queued (it never ran) or running (it was stopped).</summary>
    public const int DeadlineExceeded = 10111;

    /// <summary>priority or timeout is not an integer in range.</summary>
    public const int InvalidControl = 10407;
}
