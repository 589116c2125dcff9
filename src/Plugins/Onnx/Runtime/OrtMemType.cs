namespace Inference.Onnx.Runtime;

/// <summary>ORT's <c>OrtMemType</c>.</summary>
public enum OrtMemType
{
    CpuInput = -2,
    CpuOutput = -1,
    Default = 0,
}
