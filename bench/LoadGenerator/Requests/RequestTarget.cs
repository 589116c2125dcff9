namespace Inference.LoadGenerator.Requests;

/// <summary>The request every client sends: URL, method, headers (Content-Type among them) and body.</summary>
internal sealed record RequestTarget(Uri Url, string Method, IReadOnlyList<HeaderField> Headers, byte[] Body)
{
    public bool IsHead => Method == "HEAD";

    /// <summary>Whether the request carries a Content-Length even when the body is empty.</summary>
    public bool SendsContentLength => Body.Length > 0 || Method is "POST" or "PUT" or "PATCH";

    public bool HasHeader(string name) => Headers.Any(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
}
