namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtSession</c>.</summary>
public sealed class OrtSessionHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseSession(handle);
        return true;
    }
}
