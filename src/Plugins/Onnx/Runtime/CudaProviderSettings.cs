using System.Globalization;

namespace Inference.Onnx.Runtime;

/// <summary>Turns <see cref="ExecutionProviderOptions"/> into ORT's CUDA provider option keys.</summary>
public static class CudaProviderSettings
{
    public const string ProviderName = "CUDAExecutionProvider";

    public static IReadOnlyList<KeyValuePair<string, string>> ToOrtKeys(ExecutionProviderOptions options)
    {
        if (options.CudaDeviceId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CudaDeviceId, "CUDA device id must be 0 or more.");
        }

        if (options.CudaMemoryLimitBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CudaMemoryLimitBytes, "CUDA memory limit must be positive.");
        }

        var keys = new List<KeyValuePair<string, string>>
        {
            new("device_id", options.CudaDeviceId.ToString(CultureInfo.InvariantCulture)),
        };
        if (options.CudaMemoryLimitBytes is { } limit)
        {
            keys.Add(new("gpu_mem_limit", limit.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var (key, value) in options.CudaOptions)
        {
            if (key is "device_id" or "gpu_mem_limit")
            {
                throw new ArgumentException($"CUDA option '{key}' has its own setting; do not pass it in CudaOptions.", nameof(options));
            }

            keys.Add(new(key, value));
        }

        return keys;
    }
}
