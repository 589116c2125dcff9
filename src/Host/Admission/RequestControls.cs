namespace Inference.Host.Admission;

/// <summary>
/// What a request asks of admission: its priority (0 to 9, higher is served first; 0 when unsaid) and
/// its deadline in microseconds from arrival (null: the engine's default; 0: none).
/// </summary>
public readonly record struct RequestControls(int Priority, long? TimeoutMicroseconds)
{
    public const int MinPriority = 0;
    public const int MaxPriority = 9;

    /// <summary>The HTTP header that carries the priority when the body does not.</summary>
    public const string PriorityHeader = "Inference-Priority";

    /// <summary>The HTTP header that carries the deadline (microseconds) when the body does not.</summary>
    public const string TimeoutHeader = "Inference-Timeout";

    /// <summary>The deadline to apply: the request's own, else the gate's default (none without a gate).</summary>
    public long EffectiveTimeout(AdmissionGate? gate) => TimeoutMicroseconds ?? gate?.Limits.TimeoutMicroseconds ?? 0;
}
