using Inference.Onnx.Tensors;

namespace Inference.Onnx.Authoring;

/// <summary>A node attribute: one of an int, a float, a string, a list of ints or floats, or a tensor.</summary>
public sealed record OnnxAttribute(string Name)
{
    public long? Int { get; init; }

    public float? Float { get; init; }

    public string? String { get; init; }

    public IReadOnlyList<long>? Ints { get; init; }

    public IReadOnlyList<float>? Floats { get; init; }

    public (TensorElementType Type, long[] Dims, byte[] Raw)? Tensor { get; init; }

    public static OnnxAttribute Of(string name, long value) => new(name) { Int = value };

    public static OnnxAttribute Of(string name, float value) => new(name) { Float = value };

    public static OnnxAttribute Of(string name, string value) => new(name) { String = value };

    public static OnnxAttribute Of(string name, params long[] values) => new(name) { Ints = values };
}
