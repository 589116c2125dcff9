using System.Collections.Concurrent;
using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// The memory a bound run leaves its outputs in, per instance. The memory infos are tiny and shared
/// by every instance on a device; they are kept for the process's life so that no run in progress
/// can ever see one released under it.
/// </summary>
internal static class BoundOutputMemory
{
    private static readonly ConcurrentDictionary<(string Name, int DeviceId), OrtMemoryInfo> Infos = new();

    /// <summary>
    /// Host memory for outputs: on a CUDA session, ORT's "CudaPinned" memory when the session has an
    /// allocator for it (checked with CreateAllocator), so that ORT copies the outputs off the GPU
    /// by DMA straight into memory the response writer reads; else (and on the CPU) plain CPU memory.
    /// </summary>
    /// <remarks>
    /// Outputs are bound to the pinned memory rather than pre-allocated from the pinned allocator
    /// because their shapes are only known once the run is done; ORT then allocates them from that
    /// same allocator. Untested here (no GPU on the machines this was written on): the CPU library
    /// has no CUDA provider, so this branch is reached only when the provider really is CUDA. Older
    /// ORT releases registered the pinned allocator under device 0 whatever the GPU, so that id is
    /// tried too; when neither is there the outputs go to plain CPU memory.
    /// </remarks>
    public static OrtMemoryInfo Host(InferenceSession session, int cudaDeviceId)
    {
        if (session.Provider.Effective != ExecutionProviderKind.Cuda)
        {
            return OrtMemoryInfo.Cpu;
        }

        foreach (var id in cudaDeviceId == 0 ? [0] : new[] { cudaDeviceId, 0 })
        {
            var pinned = Get("CudaPinned", id, OrtMemType.CpuOutput);
            if (session.HasAllocatorFor(pinned))
            {
                return pinned;
            }
        }

        return OrtMemoryInfo.Cpu;
    }

    /// <summary>The instance's GPU memory, for <see cref="OutputPlacement.Device"/> (no consumer yet; untested without a GPU).</summary>
    /// <exception cref="ArgumentException">the session does not run on CUDA.</exception>
    public static OrtMemoryInfo Device(InferenceSession session, int cudaDeviceId) =>
        session.Provider.Effective == ExecutionProviderKind.Cuda
            ? Get("Cuda", cudaDeviceId, OrtMemType.Default)
            : throw new ArgumentException($"outputs can stay on the device only on a CUDA instance; this one runs on {session.Provider.Effective}", nameof(session));

    private static OrtMemoryInfo Get(string name, int deviceId, OrtMemType memType) =>
        Infos.GetOrAdd((name, deviceId), static (key, type) => OrtMemoryInfo.Create(key.Name, key.DeviceId, type), memType);
}
