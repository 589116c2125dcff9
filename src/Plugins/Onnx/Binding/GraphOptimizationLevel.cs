namespace Inference.Onnx.Binding;

/// <summary>ONNX Runtime's graph optimization levels.</summary>
public enum GraphOptimizationLevel
{
    DisableAll = 0,
    Basic = 1,
    Extended = 2,
    Layout = 3,
    All = 99,
}
