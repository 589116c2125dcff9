namespace Inference.Host.Protocol.Oip.Messages;

/// <summary>GET /v2/models/{m}[/versions/{v}].</summary>
public sealed record ModelMetadataResponse(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorMetadataResponse> Inputs,
    IReadOnlyList<TensorMetadataResponse> Outputs);
