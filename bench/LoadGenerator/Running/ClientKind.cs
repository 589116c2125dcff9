namespace Inference.LoadGenerator.Running;

/// <summary>Which HTTP client the generator's clients use.</summary>
public enum ClientKind
{
    /// <summary>A socket, the request serialized once, a minimal response parser: the least client CPU.</summary>
    Raw,

    /// <summary>.NET's SocketsHttpHandler: the reference to compare with, and https.</summary>
    Http,
}
