namespace Inference.LoadGenerator.Http;

/// <summary>The server's bytes are not a well-formed HTTP/1.1 response.</summary>
internal sealed class MalformedResponseException(string message) : Exception(message);
