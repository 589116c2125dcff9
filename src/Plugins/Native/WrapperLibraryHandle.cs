using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Inference.Native;

/// <summary>Owns the dlopen handle of a plugin library; unloads it when released.</summary>
internal sealed class WrapperLibraryHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public WrapperLibraryHandle(nint handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        NativeLibrary.Free(handle);
        return true;
    }
}
