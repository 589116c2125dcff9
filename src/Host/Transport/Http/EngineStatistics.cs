using System.Text.Json;
using Inference.Host.Engines;
using Inference.Host.Registry;

namespace Inference.Host.Transport.Http;

/// <summary>
/// GET /v1/engines/stats: per engine version, its state, its admission counters (limits, running,
/// queued, admitted, rejected, cancelled, expired; /v1/load has every gate), so a load balancer or
/// autoscaler can see the queue, and how it runs requests: its instances (device, calls in progress and
/// started), the calls waiting for an instance, and its batching (settings, queue, batches by size).
/// </summary>
public static class EngineStatistics
{
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static object Of(IReadOnlyList<EngineVersionEntry> entries) => new
    {
        engines = entries.Select(e =>
        {
            var gate = e.Gate?.Snapshot();
            var scheduling = e.Engine?.Snapshot();
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
                instances = scheduling is null ? null : Instances(scheduling),
                batching = scheduling?.Batching is { } batching ? Batching(batching) : null,
            };
        }).ToList(),
    };

    private static object Instances(EngineSchedulingSnapshot scheduling) => new
    {
        count = scheduling.Instances.Count,
        runs_per_instance = scheduling.RunsPerInstance, // null: any number at once
        waiting = scheduling.Waiting,
        list = scheduling.Instances.Select(i => new { id = i.Id, device = i.Device, running = i.Running, runs = i.Runs }).ToList(),
    };

    private static object Batching(EngineBatchingSnapshot batching) => new
    {
        max_batch_size = batching.Options.MaxBatchSize,
        max_queue_delay_us = batching.Options.MaxQueueDelayMicroseconds,
        preferred_batch_sizes = batching.Options.PreferredBatchSizes,
        queued = batching.Queued,
        batches = batching.Batches,
        average_size = Math.Round(batching.AverageSize, 3),
        sizes = batching.Sizes.Select(s => new { size = s.Size, count = s.Count }).ToList(),
    };
}
