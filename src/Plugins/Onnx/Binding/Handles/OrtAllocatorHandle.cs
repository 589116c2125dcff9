namespace Inference.Onnx.Binding.Handles;

/// <summary>
/// Owns one <c>OrtAllocator</c> made by <c>CreateAllocator</c> for a session, and a reference on that
/// session: the allocator wraps one the session's execution provider registered, so it is released first.
/// </summary>
public sealed class OrtAllocatorHandle : OrtSafeHandle
{
    private OrtSessionHandle? session;

    /// <summary>Takes over <paramref name="allocator"/> and the reference on <paramref name="owner"/> the caller already added.</summary>
    internal void Attach(nint allocator, OrtSessionHandle owner)
    {
        session = owner;
        Attach(allocator);
    }

    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseAllocator(handle);
        session?.DangerousRelease();
        return true;
    }
}
