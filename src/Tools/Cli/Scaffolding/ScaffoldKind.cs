namespace Inference.Cli.Scaffolding;

/// <summary>The plugin kinds `new` can scaffold: the same three the host loads.</summary>
public enum ScaffoldKind
{
    Onnx,
    Managed,
    Native,
}
