using Inference.Onnx.Binding;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Runtime;

/// <summary>
/// One model input or output: its name, kind, element type and shape. A dynamic dimension is -1 in
/// <see cref="Shape"/>, and its symbolic name (e.g. "batch"), if the model gives one, is in
/// <see cref="SymbolicDimensions"/> at the same index ("" otherwise).
/// </summary>
public sealed record TensorMetadata(
    string Name,
    OnnxValueType ValueType,
    TensorElementType ElementType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string> SymbolicDimensions);
