using System.Runtime.InteropServices;

namespace Inference.Host.Memory;

/// <summary>The one C library call the host makes itself: giving freed native heap pages back to the OS.</summary>
internal static partial class LibC
{
    /// <summary>
    /// glibc's <c>malloc_trim(0)</c>: returns free pages of every malloc arena (ORT's and the plugins'
    /// allocations go through malloc) to the kernel. False where the C library has no such call (musl, not Linux).
    /// </summary>
    public static bool TryTrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
