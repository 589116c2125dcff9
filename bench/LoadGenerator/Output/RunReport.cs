namespace Inference.LoadGenerator.Output;

/// <summary>A whole load test: its settings and one entry per concurrency level.</summary>
internal sealed record RunReport(
    DateTimeOffset Started,
    string Url,
    string Method,
    string Body,
    long BodyBytes,
    string Client,
    double WarmupSeconds,
    double DurationSeconds,
    double TimeoutSeconds,
    string? HealthUrl,
    double HealthIntervalMs,
    int? Pid,
    IReadOnlyList<LevelReport> Levels);
