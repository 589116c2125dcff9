namespace Inference.Onnx.Authoring;

/// <summary>A dimension of a graph input or output: a fixed size, or a symbolic name (dynamic).</summary>
public readonly record struct OnnxDimension(long Value, string? Symbol)
{
    public static implicit operator OnnxDimension(long value) => new(value, null);

    public static implicit operator OnnxDimension(string symbol) => new(0, symbol);
}
