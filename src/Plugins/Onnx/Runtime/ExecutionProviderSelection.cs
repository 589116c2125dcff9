namespace Inference.Onnx.Runtime;

/// <summary>The provider a session actually got, and why it is not the one asked for (if so).</summary>
public sealed record ExecutionProviderSelection(ExecutionProviderKind Requested, ExecutionProviderKind Effective, string? Warning);
