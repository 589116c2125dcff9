using System.Text.Json;
using Inference.Host.Engines;
using Inference.Host.Registry;

namespace Inference.Host.Transport.Http;

/// <summary>
/// GET /v1/engines/stats: per engine version, its state and its admission counters (limits, running,
/// queued, admitted, rejected, cancelled, expired; /v1/load has every gate), so a load balancer or autoscaler can see the queue.
/// </summary>
public static class EngineStatistics
{
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static object Of(IReadOnlyList<EngineVersionEntry> entries) => new
    {
        engines = entries.Select(e =>
        {
            var gate = e.Gate?.Snapshot();
            return new
            {
                service = e.Service,
                version = e.Version.ToString(),
                state = ModelStateNames.Of(e.State),
                reason = e.Reason,
                optimal_concurrency = gate?.Optimal,
                max_concurrency = gate?.Max,
                running = gate?.Running,
                queued = gate?.Queued,
                admitted = gate?.Admitted,
                rejected = gate?.Rejected,
                cancelled = gate?.Cancelled,
                expired = gate?.Expired,
            };
        }).ToList(),
    };
}
