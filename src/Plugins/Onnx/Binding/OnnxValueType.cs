namespace Inference.Onnx.Binding;

/// <summary>ONNX Runtime's <c>ONNXType</c>: what kind of value an input or output is.</summary>
public enum OnnxValueType
{
    Unknown = 0,
    Tensor = 1,
    Sequence = 2,
    Map = 3,
    Opaque = 4,
    SparseTensor = 5,
    Optional = 6,
}
