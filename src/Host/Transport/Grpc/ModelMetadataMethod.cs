using System.Globalization;
using Inference.Host.Execution;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Oip;
using Inference.Host.Registry;
using GrpcTensorMetadata = Inference.Host.Protocol.Grpc.ModelMetadataResponse.Types.TensorMetadata;

namespace Inference.Host.Transport.Grpc;

/// <summary>ModelMetadata: the same answer as <c>GET /v2/models/{m}[/versions/{v}]</c>; NOT_FOUND or UNAVAILABLE otherwise.</summary>
public sealed class ModelMetadataMethod(ModelRegistry registry) : IGrpcMethod
{
    public string Path { get; } = InferenceServicePaths.Of("ModelMetadata");

    public async ValueTask<GrpcStatus> HandleAsync(GrpcCall call)
    {
        var request = await call.ReadSingleAsync(ModelMetadataRequest.Parser);
        var entry = registry.Resolve(request.Name, ModelReadyMethod.NullIfEmpty(request.Version), out var error);
        if (error is not null)
        {
            return GrpcStatus.From(error);
        }

        var model = entry!.Model!;
        var response = new ModelMetadataResponse { Name = model.Name, Platform = OnnxModel.Platform };
        response.Versions.AddRange(registry.Versions(model.Name).Where(v => v.State == ModelState.Ready).Select(v => v.Version.ToString(CultureInfo.InvariantCulture)));
        response.Inputs.AddRange(model.Inputs.Select(ToMessage));
        response.Outputs.AddRange(model.Outputs.Select(ToMessage));
        await call.WriteAsync(response, flush: false);
        return GrpcStatus.Ok;
    }

    private static GrpcTensorMetadata ToMessage(Onnx.Runtime.TensorMetadata tensor) =>
        new() { Name = tensor.Name, Datatype = OipDataType.ToName(tensor.ElementType), Shape = { tensor.Shape } };
}
