using System.Runtime.InteropServices;

namespace Inference.Onnx.Binding.Handles;

/// <summary>
/// Owns one <c>OrtSession</c>, and the native name strings that runs pass to it: those are freed
/// only after the session itself, so a run or binding still holding a reference never reads freed memory.
/// </summary>
public sealed class OrtSessionHandle : OrtSafeHandle
{
    private readonly List<nint> ownedNames = [];

    internal void FreeWithSession(IEnumerable<nint> names) => ownedNames.AddRange(names);

    protected override unsafe bool ReleaseHandle()
    {
        OrtLibrary.Api.ReleaseSession(handle);
        foreach (var name in ownedNames)
        {
            Marshal.FreeCoTaskMem(name);
        }

        return true;
    }
}
