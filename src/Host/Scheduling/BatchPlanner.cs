namespace Inference.Host.Scheduling;

/// <summary>
/// Decides what of a batcher's queue runs next: the oldest request and the compatible requests after
/// it, in arrival order, while their rows fit. That batch is due when it is full (it reached the max,
/// or the next compatible request does not fit, so waiting cannot grow it), when the oldest request
/// has waited the max queue delay, or, short of both, when a prefix of it is a preferred size (the
/// largest such prefix runs).
/// </summary>
internal static class BatchPlanner
{
    /// <summary>Cap on a merged input's bytes: pooled buffers are indexed by int.</summary>
    public const long MaxBatchBytes = 1L << 30;

    /// <summary>
    /// Fills <paramref name="candidates"/> and says how many of them to take now; 0 when the batch is
    /// not due, with <paramref name="remainingTicks"/> (TimeProvider timestamp ticks) until its delay is up.
    /// </summary>
    public static int Plan(LinkedList<PendingRequest> queue, BatchingOptions options, long delayTicks, long now, List<PendingRequest> candidates, out long remainingTicks)
    {
        candidates.Clear();
        var head = queue.First!.Value;
        long rows = 0, bytes = 0;
        var preferred = 0;
        var full = false;
        for (var node = queue.First; node is not null; node = node.Next)
        {
            var request = node.Value;
            if (!request.Key.Equals(head.Key))
            {
                continue;
            }

            if (rows + request.Rows > options.MaxBatchSize || bytes + request.Bytes > MaxBatchBytes)
            {
                full = true;
                break;
            }

            rows += request.Rows;
            bytes += request.Bytes;
            candidates.Add(request);
            if (options.PreferredBatchSizes.Contains((int)rows))
            {
                preferred = candidates.Count;
            }

            if (rows == options.MaxBatchSize)
            {
                full = true;
                break;
            }
        }

        remainingTicks = head.EnqueuedAt + delayTicks - now;
        return full || remainingTicks <= 0 ? candidates.Count : preferred;
    }
}
