using Inference.Host.Scheduling;

namespace Inference.Host.Engines;

/// <summary>
/// Decides how many of a plugin batcher's queued requests run next, oldest first. Every request of a
/// batching plugin can join any batch (each counts as one), so the batch is the head of the queue: due
/// when it is full (<see cref="BatchingOptions.MaxBatchSize"/>), when the oldest request has waited the
/// max queue delay, or, short of both, when it has reached a preferred size (the largest such runs).
/// </summary>
internal static class PluginBatchPlanner
{
    /// <summary>How many to take now; 0 when the batch is not due, with <paramref name="remainingTicks"/> (TimeProvider ticks) until its delay is up.</summary>
    public static int Plan(int queued, long oldestEnqueuedAt, BatchingOptions options, long delayTicks, long now, out long remainingTicks)
    {
        remainingTicks = oldestEnqueuedAt + delayTicks - now;
        if (queued == 0)
        {
            return 0;
        }

        var size = Math.Min(queued, options.MaxBatchSize);
        if (size == options.MaxBatchSize || remainingTicks <= 0)
        {
            return size;
        }

        var preferred = 0;
        foreach (var candidate in options.PreferredBatchSizes)
        {
            if (candidate <= size && candidate > preferred)
            {
                preferred = candidate;
            }
        }

        return preferred;
    }
}
