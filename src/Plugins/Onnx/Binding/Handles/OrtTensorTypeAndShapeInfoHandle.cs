namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtTensorTypeAndShapeInfo</c>.</summary>
public sealed class OrtTensorTypeAndShapeInfoHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}
