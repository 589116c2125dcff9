using System.Text.Json.Serialization;

namespace Inference.LoadGenerator.Output;

/// <summary>
/// One concurrency level's figures, as printed and as written to --json. Requests are HTTP answers
/// completed in the measured window; latency covers all of them, success latency the 2xx alone.
/// </summary>
internal sealed record LevelReport(
    int Concurrency,
    double DurationSeconds,
    long Requests,
    double Throughput,
    double SuccessThroughput,
    LatencyReport Latency,
    LatencyReport SuccessLatency,
    IReadOnlyDictionary<string, long> Status,
    [property: JsonPropertyName("status_200")] long Status200,
    [property: JsonPropertyName("status_429")] long Status429,
    [property: JsonPropertyName("status_408")] long Status408,
    [property: JsonPropertyName("status_5xx")] long Status5xx,
    long StatusOther,
    TransportReport TransportErrors,
    long Connections,
    double ClientCpuMs,
    double ClientCpuUsPerRequest,
    HealthReport? Health,
    MemoryReport? Memory,
    bool Interrupted);
