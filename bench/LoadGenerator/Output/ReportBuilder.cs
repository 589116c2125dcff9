using System.Globalization;
using Inference.LoadGenerator.Measurement;
using Inference.LoadGenerator.Running;

namespace Inference.LoadGenerator.Output;

/// <summary>Turns measurements into the report both outputs print, so the table and the JSON cannot disagree.</summary>
internal static class ReportBuilder
{
    public static RunReport Run(LoadOptions options, DateTimeOffset started, IReadOnlyList<LevelResult> levels) => new(
        started,
        options.Target.Url.ToString(),
        options.Target.Method,
        options.BodyDescription,
        options.Target.Body.Length,
        options.Client.ToString().ToLowerInvariant(),
        options.WarmUp.TotalSeconds,
        options.Duration.TotalSeconds,
        options.Timeout.TotalSeconds,
        options.HealthUrl?.ToString(),
        options.HealthInterval.TotalMilliseconds,
        options.Pid,
        levels.Select(Level).ToList());

    public static LevelReport Level(LevelResult result)
    {
        var stats = result.Stats;
        var seconds = result.Measured.TotalSeconds;
        var status200 = stats.StatusCount(200);
        var status429 = stats.StatusCount(429);
        var status408 = stats.StatusCount(408);
        var status5xx = stats.StatusCount(500, 599);
        return new LevelReport(
            result.Concurrency,
            Math.Round(seconds, 3),
            stats.Responses,
            Rate(stats.Responses, seconds),
            Rate(stats.SuccessLatency.Count, seconds),
            LatencyReport.From(stats.Latency),
            LatencyReport.From(stats.SuccessLatency),
            stats.Statuses().ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => s.Value),
            status200,
            status429,
            status408,
            status5xx,
            stats.Responses - status200 - status429 - status408 - status5xx,
            Transport(stats),
            result.Connects,
            Math.Round(result.ClientCpu.TotalMilliseconds, 1),
            stats.Responses == 0 ? 0 : Math.Round(result.ClientCpu.TotalMicroseconds / stats.Responses, 2),
            result.Health is { } health ? Health(health) : null,
            result.Memory is { } memory ? new MemoryReport(memory.StartKib, memory.PeakKib, memory.AfterKib, memory.Settle.TotalSeconds, memory.ProcessLost) : null,
            result.Interrupted);
    }

    private static double Rate(long count, double seconds) => seconds <= 0 ? 0 : Math.Round(count / seconds, 1);

    private static TransportReport Transport(RequestStats stats) => new(
        stats.ErrorCount(TransportErrorKind.Connect),
        stats.ErrorCount(TransportErrorKind.Timeout),
        stats.ErrorCount(TransportErrorKind.Closed),
        stats.ErrorCount(TransportErrorKind.Protocol));

    private static HealthReport Health(RequestStats health)
    {
        var latency = LatencyReport.From(health.Latency);
        var failures = health.Responses - health.SuccessLatency.Count + health.TransportErrors;
        return new HealthReport(health.Responses + health.TransportErrors, failures, latency.P50Us, latency.P99Us, latency.MaxUs);
    }
}
