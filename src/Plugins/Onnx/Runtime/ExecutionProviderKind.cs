namespace Inference.Onnx.Runtime;

/// <summary>Where a session runs.</summary>
public enum ExecutionProviderKind
{
    Cpu,
    Cuda,
}
