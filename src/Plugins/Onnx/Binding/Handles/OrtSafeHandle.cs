using Microsoft.Win32.SafeHandles;

namespace Inference.Onnx.Binding.Handles;

/// <summary>
/// Base of the handles over ORT objects. Each derived type owns exactly one kind of native object
/// and frees it with that kind's <c>Release*</c> function when the last reference goes.
/// </summary>
public abstract class OrtSafeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    protected OrtSafeHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>
    /// The raw pointer, for calls made while the caller keeps this handle alive. A released handle
    /// throws rather than hand ORT a dangling pointer.
    /// </summary>
    internal nint Pointer => IsClosed ? throw new ObjectDisposedException(GetType().Name) : handle;

    internal void Attach(nint pointer) => SetHandle(pointer);
}
