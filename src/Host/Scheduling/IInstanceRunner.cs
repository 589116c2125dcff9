using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// How one instance runs a request or a batch on its session: plainly, or through an IoBinding. The
/// contract is <see cref="InferenceSession.Run(ReadOnlySpan{int}, ReadOnlySpan{OrtValue}, ReadOnlySpan{int}, Span{OrtValue?}, OrtRunOptions?)"/>'s:
/// null output entries are filled with values the caller owns; terminating the run options cancels
/// the run (<see cref="OperationCanceledException"/>).
/// </summary>
internal interface IInstanceRunner : IDisposable
{
    /// <summary>Where a bound run leaves its outputs ("Cpu", "CudaPinned", "Cuda"); null for plain runs.</summary>
    string? OutputMemory { get; }

    /// <summary>Native IoBindings alive (in use and pooled); 0 for plain runs.</summary>
    int LiveBindings { get; }

    void Run(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtValue> inputs, ReadOnlySpan<int> outputIndices, Span<OrtValue?> outputs, OrtRunOptions runOptions);
}
