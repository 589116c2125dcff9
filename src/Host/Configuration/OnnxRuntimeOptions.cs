using System.ComponentModel.DataAnnotations;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;

namespace Inference.Host.Configuration;

/// <summary>Section "OnnxRuntime": which library, which execution provider, and session settings.</summary>
public sealed record OnnxRuntimeOptions
{
    public const string Section = "OnnxRuntime";

    /// <summary>Explicit path to libonnxruntime; else RUNTIME_ORT_LIBRARY; else the copy shipped with the host.</summary>
    public string? LibraryPath { get; set; }

    public ExecutionProviderKind ExecutionProvider { get; set; } = ExecutionProviderKind.Cpu;

    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    [Range(1, long.MaxValue)]
    public long? CudaMemoryLimitBytes { get; set; }

    /// <summary>When CUDA is configured but cannot load: fail to start (false) or run on CPU with a warning (true).</summary>
    public bool CudaFallbackToCpu { get; set; }

    /// <summary>ORT intra-op threads per session; 1 suits small models served concurrently, 0 lets ORT choose.</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; } = 1;

    [Range(0, 1024)]
    public int InterOpThreads { get; set; } = 1;

    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.All;

    public bool EnableCpuMemArena { get; set; } = true;

    /// <summary>Let ORT's threads spin while idle (fast hand-off, but steals cores from the web server).</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Lowest severity of ORT's own log lines forwarded to the host's log.</summary>
    public OrtLoggingLevel LogLevel { get; set; } = OrtLoggingLevel.Warning;

    public OnnxSessionOptions ToSessionOptions(string logId) => new()
    {
        IntraOpThreads = IntraOpThreads,
        InterOpThreads = InterOpThreads,
        GraphOptimization = GraphOptimizationLevel,
        EnableCpuMemArena = EnableCpuMemArena,
        AllowSpinning = AllowSpinning,
        LogId = logId,
        ExecutionProvider = new ExecutionProviderOptions
        {
            Kind = ExecutionProvider,
            CudaDeviceId = CudaDeviceId,
            CudaMemoryLimitBytes = CudaMemoryLimitBytes,
            OnUnavailable = CudaFallbackToCpu ? ProviderUnavailableAction.FallBackToCpu : ProviderUnavailableAction.Fail,
        },
    };
}
