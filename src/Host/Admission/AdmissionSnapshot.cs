namespace Inference.Host.Admission;

/// <summary>What a gate holds right now, for the stats endpoints and readiness.</summary>
public readonly record struct AdmissionSnapshot(int Optimal, int Max, int Running, int Queued, long Admitted, long Rejected, long Cancelled, long Expired)
{
    /// <summary>The share of max in the host (running + queued), 0..1 and above while a lowered max drains.</summary>
    public double Load => Max == 0 ? 0 : (double)(Running + Queued) / Max;
}
