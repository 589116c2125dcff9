using System.Text.Json;
using Inference.Host.Admission;
using Inference.Host.Engines;
using Inference.Host.Registry;

namespace Inference.Host.Transport.Http;

/// <summary>
/// GET /v1/load: every admission gate in the host, plain models and plugin engines alike: limits,
/// running, queued, the share of max in use, and the counters since start (admitted, rejected,
/// cancelled, expired), with the server time of refusals. What an autoscaler or load balancer polls.
/// </summary>
public static class LoadStatistics
{
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static object Of(ModelRegistry models, EngineRegistry engines) => new
    {
        gates = models.All().Where(e => e.Gate is not null).Select(e => Gate("model", e.Name, e.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Gate!))
            .Concat(engines.All().Where(e => e.Gate is not null).Select(e => Gate("engine", e.Service, e.Version.ToString(), e.Gate!)))
            .ToList(),
    };

    private static object Gate(string kind, string name, string version, AdmissionGate gate)
    {
        var s = gate.Snapshot();
        return new
        {
            kind,
            name,
            version,
            optimal_concurrency = s.Optimal,
            max_concurrency = s.Max,
            timeout_us = gate.Limits.TimeoutMicroseconds,
            running = s.Running,
            queued = s.Queued,
            load = Math.Round(s.Load, 4),
            admitted = s.Admitted,
            rejected = s.Rejected,
            cancelled = s.Cancelled,
            expired = s.Expired,
            refusal_us = new
            {
                count = gate.RefusalTimes.Count,
                p50 = gate.RefusalTimes.Percentile(0.5) / 1000.0,
                p99 = gate.RefusalTimes.Percentile(0.99) / 1000.0,
            },
        };
    }
}
