namespace Inference.Packaging.Manifest;

/// <summary>The three plugin kinds: ONNX-only (no code), managed .NET, native (the ASE loader's C ABI).</summary>
public enum EngineKind
{
    Onnx,
    Managed,
    Native,
}
