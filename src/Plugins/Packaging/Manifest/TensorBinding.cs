namespace Inference.Packaging.Manifest;

/// <summary>
/// For ONNX-only engines: which model input or output a parameter or data segment maps to, and for a
/// data segment, the element type and shape its bytes have (e.g. FP32 [1, -1] for raw float PCM).
/// </summary>
public sealed record TensorBinding(string Source, string Tensor, string? DataType, IReadOnlyList<long>? Shape);
