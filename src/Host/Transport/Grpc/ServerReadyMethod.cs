using Inference.Host.Protocol.Grpc;
using Inference.Host.Transport.Health;

namespace Inference.Host.Transport.Grpc;

/// <summary>ServerReady: the same readiness as <c>/v2/health/ready</c> (repository loaded, not over the load threshold).</summary>
public sealed class ServerReadyMethod(HealthProbe probe) : IGrpcMethod
{
    public string Path { get; } = InferenceServicePaths.Of("ServerReady");

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        await call.ReadSingleAsync(ServerReadyRequest.Parser);
        await call.WriteAsync(new ServerReadyResponse { Ready = probe.IsReady() }, flush: false);
        return GrpcStatus.Ok;
    }
}
