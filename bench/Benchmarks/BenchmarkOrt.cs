using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;

namespace Inference.Benchmarks;

/// <summary>The one ORT environment of a benchmark process.</summary>
internal static class BenchmarkOrt
{
    private static readonly Lazy<OrtEnvironment> Shared = new(() =>
        OrtEnvironment.Create(OrtLibraryLocator.ResolveDefault(), OrtLoggingLevel.Error, (_, _, _) => { }, "bench"));

    public static OrtEnvironment Environment => Shared.Value;

    /// <summary>One intra-op thread and no spinning: what the host uses by default.</summary>
    public static OnnxSessionOptions SessionOptions { get; } = new() { IntraOpThreads = 1, InterOpThreads = 1 };
}
