namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtMemoryInfo</c>.</summary>
public sealed class OrtMemoryInfoHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseMemoryInfo(handle);
        return true;
    }
}
