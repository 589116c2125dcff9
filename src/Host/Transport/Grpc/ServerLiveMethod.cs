using Inference.Host.Protocol.Grpc;

namespace Inference.Host.Transport.Grpc;

/// <summary>ServerLive: answering at all is being live.</summary>
public sealed class ServerLiveMethod : IGrpcMethod
{
    private static readonly ServerLiveResponse Live = new() { Live = true };

    public string Path { get; } = InferenceServicePaths.Of("ServerLive");

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        await call.ReadSingleAsync(ServerLiveRequest.Parser);
        await call.WriteAsync(Live, flush: false);
        return GrpcStatus.Ok;
    }
}
