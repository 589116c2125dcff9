namespace Inference.Host.Admission;

/// <summary>What a gate holds right now, for the stats endpoint and readiness.</summary>
public readonly record struct AdmissionSnapshot(int Optimal, int Max, int Running, int Queued, long Admitted, long Rejected, long Cancelled);
