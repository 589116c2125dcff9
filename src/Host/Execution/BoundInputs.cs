using Inference.Onnx.Runtime;

namespace Inference.Host.Execution;

/// <summary>
/// A request's inputs as ORT values, in the session's index order, and the outputs to compute. The
/// values are views over the request's buffers: dispose this before the request.
/// </summary>
public sealed class BoundInputs(int[] inputIndices, OrtValue[] values, int[] outputIndices, bool[] binaryOutputs) : IDisposable
{
    public int[] InputIndices { get; } = inputIndices;

    public OrtValue[] Values { get; } = values;

    public int[] OutputIndices { get; } = outputIndices;

    public bool[] BinaryOutputs { get; } = binaryOutputs;

    public void Dispose()
    {
        foreach (var value in Values)
        {
            value?.Dispose();
        }
    }
}
