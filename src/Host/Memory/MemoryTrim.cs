using System.Diagnostics;
using System.Runtime;
using Inference.Host.Buffers;

namespace Inference.Host.Memory;

/// <summary>
/// Gives the memory a load peak grew back to the OS: the pooled pinned buffers are dropped, the
/// managed heap is collected and compacted with decommit (the GC otherwise keeps a grown heap while
/// nothing allocates), and glibc is asked to return the free pages of its malloc arenas.
/// </summary>
public static class MemoryTrim
{
    public static MemoryTrimResult Run(PinnedBufferPool buffers)
    {
        var residentBefore = Resident();
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var released = buffers.Trim();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var native = LibC.TryTrimNativeHeap();
        return new MemoryTrimResult(residentBefore, Resident(), committedBefore, GC.GetGCMemoryInfo().TotalCommittedBytes, released, native);
    }

    private static long Resident()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
