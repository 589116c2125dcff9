namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtValue</c>.</summary>
public sealed class OrtValueHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseValue(handle);
        return true;
    }
}
