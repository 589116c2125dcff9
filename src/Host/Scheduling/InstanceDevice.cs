using System.Globalization;
using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>Where one model instance runs: the CPU, or a CUDA device by id.</summary>
public readonly record struct InstanceDevice(ExecutionProviderKind Kind, int CudaDeviceId)
{
    public const int MaxCudaDeviceId = 64;

    public static InstanceDevice Cpu => new(ExecutionProviderKind.Cpu, 0);

    public static InstanceDevice Cuda(int deviceId) => new(ExecutionProviderKind.Cuda, deviceId);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> (device 0) or <c>cuda:N</c>, in any case.</summary>
    public static bool TryParse(string? text, out InstanceDevice device)
    {
        device = Cpu;
        var value = text?.Trim() ?? "";
        if (value.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("cuda", StringComparison.OrdinalIgnoreCase))
        {
            device = Cuda(0);
            return true;
        }

        if (value.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && id <= MaxCudaDeviceId)
        {
            device = Cuda(id);
            return true;
        }

        return false;
    }

    public override string ToString() =>
        Kind == ExecutionProviderKind.Cuda ? string.Create(CultureInfo.InvariantCulture, $"cuda:{CudaDeviceId}") : "cpu";
}
