namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtTypeInfo</c>.</summary>
public sealed class OrtTypeInfoHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseTypeInfo(handle);
        return true;
    }
}
