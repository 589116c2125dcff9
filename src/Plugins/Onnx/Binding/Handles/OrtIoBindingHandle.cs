namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtIoBinding</c>.</summary>
public sealed class OrtIoBindingHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseIoBinding(handle);
        return true;
    }
}
