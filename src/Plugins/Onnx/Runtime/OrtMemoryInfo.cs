using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;

namespace Inference.Onnx.Runtime;

/// <summary>Describes where tensor memory lives (CPU, a CUDA device, or CUDA-pinned host memory).</summary>
public sealed unsafe class OrtMemoryInfo : IDisposable
{
    private static OrtMemoryInfo? cpu;

    private OrtMemoryInfo(OrtMemoryInfoHandle handle, string name)
    {
        Handle = handle;
        Name = name;
    }

    internal OrtMemoryInfoHandle Handle { get; }

    public string Name { get; }

    /// <summary>Plain CPU memory; shared by every tensor created over host buffers.</summary>
    public static OrtMemoryInfo Cpu => cpu ??= CreateCpu();

    /// <summary>Memory on a device: names are case-sensitive ("Cuda", "CudaPinned").</summary>
    public static OrtMemoryInfo Create(string name, int deviceId, OrtMemType memType = OrtMemType.Default)
    {
        var handle = new OrtMemoryInfoHandle();
        using var utf8 = new NativeUtf8(name);
        nint pointer;
        // OrtDeviceAllocator = 0.
        OrtStatus.Check(OrtLibrary.Api.CreateMemoryInfo(utf8.Pointer, 0, deviceId, (int)memType, &pointer));
        handle.Attach(pointer);
        return new OrtMemoryInfo(handle, name);
    }

    private static OrtMemoryInfo CreateCpu()
    {
        var handle = new OrtMemoryInfoHandle();
        nint created;
        OrtStatus.Check(OrtLibrary.Api.CreateCpuMemoryInfo(0, (int)OrtMemType.Default, &created));
        handle.Attach(created);
        return new OrtMemoryInfo(handle, "Cpu");
    }

    public void Dispose()
    {
        if (!ReferenceEquals(this, cpu))
        {
            Handle.Dispose();
        }
    }
}
