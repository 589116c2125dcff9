namespace Inference.LoadGenerator.Output;

/// <summary>The health probe's answers during the measured window; failures are non-2xx answers and transport errors.</summary>
internal sealed record HealthReport(long Requests, long Failures, double P50Us, double P99Us, double MaxUs);
