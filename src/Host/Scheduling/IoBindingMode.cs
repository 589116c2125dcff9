namespace Inference.Host.Scheduling;

/// <summary>
/// <c>Models:{name}:Instances:IoBinding</c>: whether an instance runs its requests through an ORT
/// IoBinding (inputs bound, outputs bound to host memory) rather than a plain Run.
/// </summary>
public enum IoBindingMode
{
    /// <summary>On for instances that really run on CUDA, off for CPU ones (including a CUDA instance that fell back to CPU).</summary>
    Auto,

    /// <summary>Always, on CPU too (where it gains nothing; it lets the CPU-only tests run the bound path).</summary>
    On,

    /// <summary>Never: plain runs, on CUDA too.</summary>
    Off,
}
