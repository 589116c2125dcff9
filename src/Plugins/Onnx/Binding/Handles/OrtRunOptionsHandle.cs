namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtRunOptions</c>.</summary>
public sealed class OrtRunOptionsHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseRunOptions(handle);
        return true;
    }
}
