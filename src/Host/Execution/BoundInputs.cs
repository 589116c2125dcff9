using Inference.Onnx.Runtime;

namespace Inference.Host.Execution;

/// <summary>
/// A request's inputs as ORT values, in the session's index order, and the outputs to compute. The
/// values are views over the request's buffers: dispose this before the request. The request's
/// shapes are kept beside them, so that the scheduler need not ask ORT for them.
/// </summary>
public sealed class BoundInputs(int[] inputIndices, OrtValue[] values, int[] outputIndices, bool[] binaryOutputs, long[][]? shapes = null) : IDisposable
{
    public int[] InputIndices { get; } = inputIndices;

    public OrtValue[] Values { get; } = values;

    public int[] OutputIndices { get; } = outputIndices;

    public bool[] BinaryOutputs { get; } = binaryOutputs;

    /// <summary>Each value's shape, when the binder knew it; null means ask the values.</summary>
    public long[][]? Shapes { get; } = shapes;

    /// <summary>The shape of the value at <paramref name="position"/>.</summary>
    public long[] ShapeAt(int position) => Shapes?[position] ?? Values[position].Shape;

    public void Dispose()
    {
        foreach (var value in Values)
        {
            value?.Dispose();
        }
    }
}
