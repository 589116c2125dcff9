using System.Diagnostics;

namespace Inference.LoadGenerator.Running;

/// <summary>Stopwatch ticks to nanoseconds (the tick is 1 ns on Linux, but not everywhere).</summary>
internal static class Nanoseconds
{
    private static readonly double PerTick = 1e9 / Stopwatch.Frequency;

    public static long Since(long startTimestamp) => (long)((Stopwatch.GetTimestamp() - startTimestamp) * PerTick);
}
