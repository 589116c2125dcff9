namespace Inference.Onnx.Runtime;

/// <summary>The execution provider a session asks for, and the CUDA settings when it is CUDA.</summary>
public sealed record ExecutionProviderOptions
{
    public static readonly ExecutionProviderOptions Cpu = new();

    public ExecutionProviderKind Kind { get; init; } = ExecutionProviderKind.Cpu;

    public int CudaDeviceId { get; init; }

    /// <summary>Cap on the CUDA arena in bytes (ORT's <c>gpu_mem_limit</c>); null leaves ORT's default.</summary>
    public long? CudaMemoryLimitBytes { get; init; }

    public ProviderUnavailableAction OnUnavailable { get; init; } = ProviderUnavailableAction.Fail;

    /// <summary>Further CUDA provider options passed through as ORT keys (e.g. cudnn_conv_algo_search).</summary>
    public IReadOnlyDictionary<string, string> CudaOptions { get; init; } = new Dictionary<string, string>();
}
