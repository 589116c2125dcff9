using Inference.LoadGenerator.Measurement;

namespace Inference.LoadGenerator.Http;

/// <summary>A request that got no HTTP answer, and why.</summary>
internal sealed class TransportException(TransportErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public TransportErrorKind Kind { get; } = kind;
}
