namespace Inference.Packaging.Manifest;

/// <summary>
/// How the host runs the engine: the ONNX model (compute module), and for a managed plugin its assembly
/// and type, for a native plugin its library; for ONNX-only engines, the input and output mapping.
/// Paths are relative to the package root.
/// </summary>
public sealed record EngineEntry(
    EngineKind Kind,
    string? Model,
    string? Assembly,
    string? Type,
    string? Library,
    IReadOnlyList<TensorBinding> Inputs,
    IReadOnlyList<TensorBinding> Outputs);
