namespace Inference.LoadGenerator.Output;

/// <summary>The server's RSS in KiB: before the level, its peak (warm-up included), and after the settle period.</summary>
internal sealed record MemoryReport(long? StartKib, long PeakKib, long? AfterKib, double SettleSeconds, bool ProcessLost);
