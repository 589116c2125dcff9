using Inference.Host.Protocol.Grpc;

namespace Inference.Host.Transport.Grpc;

/// <summary>ModelInfer: one request message, one response message or an error status (<see cref="GrpcInferExecutor"/>).</summary>
public sealed class ModelInferMethod(GrpcInferExecutor executor) : IGrpcMethod
{
    public string Path { get; } = InferenceServicePaths.Of("ModelInfer");

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        var message = await call.ReadSingleAsync(ModelInferRequest.Parser);
        var error = await executor.InferAsync(message, call, call.Arrival, response => call.WriteAsync(response, flush: false));
        return error is null ? GrpcStatus.Ok : GrpcStatus.From(error);
    }
}
