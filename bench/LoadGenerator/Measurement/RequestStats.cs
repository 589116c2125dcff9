namespace Inference.LoadGenerator.Measurement;

/// <summary>
/// What one client saw in the measured window: latencies (all answers, and 2xx alone, since fast
/// refusals would otherwise pull the percentiles down), answers per status, transport errors.
/// Single-writer; the run merges the clients' copies when they are done.
/// </summary>
internal sealed class RequestStats
{
    private const int StatusSlots = 600;
    private readonly long[] statuses = new long[StatusSlots];
    private readonly long[] errors = new long[Enum.GetValues<TransportErrorKind>().Length];

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram SuccessLatency { get; } = new();

    public long Responses => Latency.Count;

    public long TransportErrors => errors.Sum();

    public void RecordResponse(int status, long nanoseconds)
    {
        statuses[Math.Clamp(status, 0, StatusSlots - 1)]++;
        Latency.Record(nanoseconds);
        if (status is >= 200 and < 300)
        {
            SuccessLatency.Record(nanoseconds);
        }
    }

    public void RecordError(TransportErrorKind kind) => errors[(int)kind]++;

    public long ErrorCount(TransportErrorKind kind) => errors[(int)kind];

    public long StatusCount(int status) => statuses[status];

    public long StatusCount(int from, int to)
    {
        long total = 0;
        for (var status = from; status <= to; status++)
        {
            total += statuses[status];
        }

        return total;
    }

    /// <summary>Every status that occurred, with its count, in ascending order.</summary>
    public IReadOnlyList<KeyValuePair<int, long>> Statuses()
    {
        var seen = new List<KeyValuePair<int, long>>();
        for (var status = 0; status < StatusSlots; status++)
        {
            if (statuses[status] > 0)
            {
                seen.Add(new(status, statuses[status]));
            }
        }

        return seen;
    }

    public void Add(RequestStats other)
    {
        for (var i = 0; i < statuses.Length; i++)
        {
            statuses[i] += other.statuses[i];
        }

        for (var i = 0; i < errors.Length; i++)
        {
            errors[i] += other.errors[i];
        }

        Latency.Add(other.Latency);
        SuccessLatency.Add(other.SuccessLatency);
    }
}
