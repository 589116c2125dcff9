using Inference.Onnx.Runtime;

namespace Inference.Host.Execution;

/// <summary>
/// What <see cref="GatedRun"/> gives back: the outputs (owned by the caller, who disposes them) and when
/// the request left the gate's queue; no outputs means the gate was full and refused it.
/// </summary>
public readonly record struct GatedRunResult(OrtValue?[]? Results, long AdmittedTimestamp)
{
    public bool Refused => Results is null;

    public static GatedRunResult Refusal => new(null, 0);
}
