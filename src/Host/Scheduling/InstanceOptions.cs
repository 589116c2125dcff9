namespace Inference.Host.Scheduling;

/// <summary>
/// The instances of one model version (<c>Models:{name}:Instances</c>). Unset, the model has one
/// instance on the host's default device that takes any number of runs at once (ORT sessions are
/// thread-safe). Once <see cref="Count"/> or <see cref="Devices"/> is set, each instance takes one
/// run at a time (Triton's model) and a run waits for a free instance.
/// </summary>
public sealed record InstanceOptions
{
    public static readonly InstanceOptions Default = new();

    /// <summary>How many instances; unset: one per device in <see cref="Devices"/>, else 1.</summary>
    public int? Count { get; init; }

    /// <summary>The devices, assigned in turn; empty: the host's <c>OnnxRuntime</c> provider.</summary>
    public IReadOnlyList<InstanceDevice> Devices { get; init; } = [];

    /// <summary>Intra-op threads per instance; unset: <c>OnnxRuntime:IntraOpThreads</c>.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>Inter-op threads per instance; unset: <c>OnnxRuntime:InterOpThreads</c>.</summary>
    public int? InterOpThreads { get; init; }

    /// <summary>Whether runs go through an ORT IoBinding; <see cref="IoBindingMode.Auto"/>: on CUDA instances only.</summary>
    public IoBindingMode IoBinding { get; init; }

    /// <summary>Whether instances were declared, which makes each one take one run at a time.</summary>
    public bool Exclusive => Count is not null || Devices.Count > 0;

    public int EffectiveCount => Count ?? Math.Max(1, Devices.Count);
}
