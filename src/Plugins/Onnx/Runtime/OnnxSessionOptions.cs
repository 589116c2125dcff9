using Inference.Onnx.Binding;

namespace Inference.Onnx.Runtime;

/// <summary>How to build a session: threads, optimization, memory arena, execution provider.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>Intra-op threads; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Inter-op threads (parallel execution mode only); 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }

    public bool ParallelExecution { get; init; }

    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.All;

    public bool EnableCpuMemArena { get; init; } = true;

    /// <summary>
    /// Whether ORT's intra-op threads spin while waiting. Spinning steals cores the web server also
    /// needs, so the host turns it off unless a measurement says otherwise.
    /// </summary>
    public bool AllowSpinning { get; init; }

    public ExecutionProviderOptions ExecutionProvider { get; init; } = ExecutionProviderOptions.Cpu;

    /// <summary>Further session config entries (AddSessionConfigEntry keys).</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    public string? LogId { get; init; }
}
