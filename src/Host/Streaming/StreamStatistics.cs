using System.Collections.Concurrent;
using System.Text.Json;

namespace Inference.Host.Streaming;

/// <summary>The streaming sessions' counters per engine version, for <c>GET /v1/streams</c>.</summary>
public sealed class StreamStatistics
{
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ConcurrentDictionary<(string Service, string Version), StreamCounters> engines = new();

    public StreamCounters For(string service, string version) => engines.GetOrAdd((service, version), static _ => new StreamCounters());

    /// <summary>Sessions open now, over all engines.</summary>
    public long Open => engines.Values.Sum(c => c.Open);

    public object Snapshot() => new
    {
        open = Open,
        engines = engines.OrderBy(e => e.Key.Service, StringComparer.Ordinal).ThenBy(e => e.Key.Version, StringComparer.Ordinal).Select(e => new
        {
            service = e.Key.Service,
            version = e.Key.Version,
            open = e.Value.Open,
            opened = e.Value.Opened,
            plugin_sessions = e.Value.PluginSessions,
            ended = e.Value.Ended,
            cancelled = e.Value.Cancelled,
            failed = e.Value.Failed,
            chunks_in = e.Value.ChunksIn,
            results_out = e.Value.ResultsOut,
        }).ToList(),
    };
}
