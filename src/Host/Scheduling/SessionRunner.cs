using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>Plain runs: ORT takes the inputs where they are and allocates the outputs on the CPU.</summary>
internal sealed class SessionRunner(InferenceSession session) : IInstanceRunner
{
    public string? OutputMemory => null;

    public int LiveBindings => 0;

    public void Run(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtValue> inputs, ReadOnlySpan<int> outputIndices, Span<OrtValue?> outputs, OrtRunOptions runOptions) =>
        session.Run(inputIndices, inputs, outputIndices, outputs, runOptions);

    public void Dispose()
    {
        // The session is the instance's to dispose.
    }
}
