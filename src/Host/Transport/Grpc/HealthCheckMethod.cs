using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc.Health;
using Inference.Host.Transport.Health;
using static Inference.Host.Protocol.Grpc.Health.HealthCheckResponse.Types;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// grpc.health.v1.Health/Check: SERVING when the host is ready (<see cref="HealthProbe"/>), else
/// NOT_SERVING, for the whole server ("") and for the inference service; another service name is NOT_FOUND,
/// as the health protocol says.
/// </summary>
public sealed class HealthCheckMethod(HealthProbe probe) : IGrpcMethod
{
    public string Path { get; } = $"/{InferenceServicePaths.HealthService}/Check";

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        var request = await call.ReadSingleAsync(HealthCheckRequest.Parser);
        if (request.Service.Length > 0 && request.Service != InferenceServicePaths.Service)
        {
            return new GrpcStatus(GrpcStatusCode.NotFound, $"unknown service '{request.Service}' (known: '' and '{InferenceServicePaths.Service}')");
        }

        await call.WriteAsync(new HealthCheckResponse { Status = probe.IsReady() ? ServingStatus.Serving : ServingStatus.NotServing }, flush: false);
        return GrpcStatus.Ok;
    }
}
