using Inference.Host.Admission;
using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Registry;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// ModelReady: ready = the version resolves to a ready model whose gate is under the readiness load
/// threshold, as <c>/v2/models/{m}/ready</c>; an unknown model or version is NOT_FOUND (404 there).
/// </summary>
public sealed class ModelReadyMethod(ModelRegistry registry, LoadReadiness load) : IGrpcMethod
{
    public string Path { get; } = InferenceServicePaths.Of("ModelReady");

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        var request = await call.ReadSingleAsync(ModelReadyRequest.Parser);
        var entry = registry.Resolve(request.Name, NullIfEmpty(request.Version), out var error);
        if (error is { Kind: ErrorKind.NotFound })
        {
            return GrpcStatus.From(error);
        }

        await call.WriteAsync(new ModelReadyResponse { Ready = error is null && !load.IsOverloaded(entry?.Gate) }, flush: false);
        return GrpcStatus.Ok;
    }

    /// <summary>proto3 has no absent string: an empty version means "the default version".</summary>
    internal static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
