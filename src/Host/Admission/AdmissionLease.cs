namespace Inference.Host.Admission;

/// <summary>
/// A running slot of an <see cref="AdmissionGate"/>: disposing it frees the slot for the next waiter.
/// A struct so that admission without waiting allocates nothing; dispose it exactly once. The default
/// value is an admitted lease of no gate: what an engine without a gate runs under.
/// </summary>
public readonly struct AdmissionLease : IDisposable
{
    private readonly AdmissionGate? gate;

    internal AdmissionLease(AdmissionGate gate, AdmissionDecision decision)
    {
        this.gate = decision == AdmissionDecision.Admitted ? gate : null;
        Decision = decision;
    }

    public AdmissionDecision Decision { get; }

    public bool IsAdmitted => Decision == AdmissionDecision.Admitted;

    public void Dispose() => gate?.Release();
}
