namespace Inference.Onnx.Binding;

/// <summary>A path to <c>libonnxruntime</c> and where the choice came from (for the start-up log).</summary>
public sealed record OrtLibraryLocation(string Path, string Source);
