namespace Inference.Host.Protocol.Oip.Messages;

/// <summary>GET /v2: the server's name, version, the protocol extensions it supports, and its ONNX Runtime.</summary>
public sealed record ServerMetadataResponse(string Name, string Version, IReadOnlyList<string> Extensions, OnnxRuntimeInfo Onnxruntime);
