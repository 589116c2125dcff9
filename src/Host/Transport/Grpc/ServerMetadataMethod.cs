using Inference.Host.Protocol.Grpc;
using Inference.Host.Transport.Http;

namespace Inference.Host.Transport.Grpc;

/// <summary>ServerMetadata: the same name, version and extensions as <c>GET /v2</c>.</summary>
public sealed class ServerMetadataMethod : IGrpcMethod
{
    private static readonly ServerMetadataResponse Metadata = new()
    {
        Name = OipEndpoints.ServerName,
        Version = OipEndpoints.ServerVersion,
        Extensions = { OipEndpoints.Extensions },
    };

    public string Path { get; } = InferenceServicePaths.Of("ServerMetadata");

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        await call.ReadSingleAsync(ServerMetadataRequest.Parser);
        await call.WriteAsync(Metadata, flush: false);
        return GrpcStatus.Ok;
    }
}
