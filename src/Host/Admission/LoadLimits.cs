namespace Inference.Host.Admission;

/// <summary>
/// The load settings of one engine or model version: up to <see cref="Optimal"/> requests run at once,
/// up to <see cref="Max"/> are in the host (running + queued), and a request that names no deadline gets
/// <see cref="TimeoutMicroseconds"/> (0: none).
/// </summary>
public sealed record LoadLimits(int Optimal, int Max, long TimeoutMicroseconds = 0)
{
    /// <summary>Why these limits cannot be used, or null when they can.</summary>
    public string? Problem() =>
        Optimal < 1 ? $"OptimalConcurrency must be at least 1 (it is {Optimal})"
        : Max < Optimal ? $"MaxConcurrency ({Max}) must be at least OptimalConcurrency ({Optimal})"
        : TimeoutMicroseconds < 0 ? $"TimeoutMicroseconds must be 0 (none) or positive (it is {TimeoutMicroseconds})"
        : null;
}
