namespace Inference.Onnx.Binding.Handles;

/// <summary>Owns one <c>OrtEnv</c>.</summary>
public sealed class OrtEnvHandle : OrtSafeHandle
{
    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseEnv(handle);
        return true;
    }
}
