using Inference.Host.Errors;

namespace Inference.Host.Transport.Grpc;

/// <summary>Ends a call with a status from deep in the framing (oversize, cut-off, compressed message).</summary>
public sealed class GrpcException(GrpcStatusCode code, string message) : Exception(message)
{
    public GrpcStatus Status { get; } = new(code, message);
}
