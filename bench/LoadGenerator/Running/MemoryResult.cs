namespace Inference.LoadGenerator.Running;

/// <summary>The server's RSS in one level: before the warm-up, the peak while loaded, and after the settle period.</summary>
internal sealed record MemoryResult(long? StartKib, long PeakKib, long? AfterKib, TimeSpan Settle, bool ProcessLost);
