namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtCUDAProviderOptionsV2</c>.</summary>
public sealed class OrtCudaProviderOptionsHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseCUDAProviderOptions(handle);
        return true;
    }
}
