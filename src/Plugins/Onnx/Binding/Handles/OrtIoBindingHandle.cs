namespace Inference.Onnx.Binding.Handles;

/// <summary>
/// Owns one <c>OrtIoBinding</c> and a reference on the session it was made for: ORT's binding points
/// into that session's state, so the session is released only after every binding of it (a pooled
/// binding may outlive the <c>InferenceSession</c> object that was disposed meanwhile).
/// </summary>
public sealed class OrtIoBindingHandle : OrtSafeHandle
{
    private OrtSessionHandle? session;

    /// <summary>Takes over <paramref name="binding"/> and the reference on <paramref name="owner"/> the caller already added.</summary>
    internal void Attach(nint binding, OrtSessionHandle owner)
    {
        session = owner;
        Attach(binding);
    }

    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseIoBinding(handle);
        session?.DangerousRelease();
        return true;
    }
}
