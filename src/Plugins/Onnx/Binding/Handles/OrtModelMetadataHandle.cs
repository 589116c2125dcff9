namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtModelMetadata</c>.</summary>
public sealed class OrtModelMetadataHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseModelMetadata(handle);
        return true;
    }
}
