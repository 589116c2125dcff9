namespace Inference.GrpcBench;

/// <summary>One protocol at one concurrency: completed calls per second, failures, latency percentiles.</summary>
internal sealed record PhaseResult(string Protocol, int Concurrency, double PerSecond, long Failures, double P50Microseconds, double P99Microseconds);
