namespace Inference.Host.Memory;

/// <summary>What one trim changed: resident memory of the process and committed bytes of the managed heap.</summary>
public sealed record MemoryTrimResult(long ResidentBefore, long ResidentAfter, long CommittedBefore, long CommittedAfter, long PooledBytesReleased, bool NativeHeapTrimmed);
