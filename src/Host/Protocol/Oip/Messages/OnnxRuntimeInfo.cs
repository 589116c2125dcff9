namespace Inference.Host.Protocol.Oip.Messages;

/// <summary>Which ONNX Runtime serves the models: version, library path and execution providers.</summary>
public sealed record OnnxRuntimeInfo(string Version, string Library, IReadOnlyList<string> Providers);
