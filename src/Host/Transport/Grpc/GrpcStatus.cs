using Inference.Host.Errors;

namespace Inference.Host.Transport.Grpc;

/// <summary>How a call ends: the <c>grpc-status</c> code and the <c>grpc-message</c> text (none for OK).</summary>
public sealed record GrpcStatus(GrpcStatusCode Code, string? Message)
{
    public static GrpcStatus Ok { get; } = new(GrpcStatusCode.OK, null);

    /// <summary>The status of an error from our own error model, by its cause (<see cref="GrpcStatusMap"/>).</summary>
    public static GrpcStatus From(InferenceError error) => new(GrpcStatusMap.ToGrpcStatus(error.Kind), error.Message);
}
