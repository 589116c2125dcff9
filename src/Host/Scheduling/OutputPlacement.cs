namespace Inference.Host.Scheduling;

/// <summary>Where a bound run leaves its outputs.</summary>
public enum OutputPlacement
{
    /// <summary>Host memory the response writer reads in place: CUDA-pinned on a CUDA instance when its session has that allocator, else plain CPU memory.</summary>
    Host,

    /// <summary>
    /// The instance's GPU ("Cuda" memory): only for a consumer that runs on the same GPU next. The
    /// host has no such consumer yet (no ensembles), so nothing selects this; the HTTP writer cannot
    /// read device memory.
    /// </summary>
    Device,
}
