namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtSessionOptions</c>.</summary>
public sealed class OrtSessionOptionsHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseSessionOptions(handle);
        return true;
    }
}
