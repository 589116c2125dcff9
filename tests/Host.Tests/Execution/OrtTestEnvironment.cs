using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;

namespace Inference.Host.Tests.Execution;

/// <summary>
/// The ORT environment of the unit tests, created on first use and kept for the process. ORT keeps one
/// reference-counted environment per process: when the HTTP tests' host creates its own (from the same
/// library path), ORT hands both the same environment, and whichever is disposed first leaves the
/// other working. Never disposed here, so the tests can never pull it out from under the host.
/// </summary>
internal static class OrtTestEnvironment
{
    private static readonly Lazy<OrtEnvironment> Shared = new(
        () => OrtEnvironment.Create(OrtLibraryLocator.ResolveDefault(), OrtLoggingLevel.Warning, static (_, _, _) => { }, "host-unit-tests"),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static OrtEnvironment Instance => Shared.Value;

    /// <summary>A session over <paramref name="model"/> (ONNX bytes), single-threaded so tests start no thread pools.</summary>
    public static InferenceSession CreateSession(byte[] model) =>
        InferenceSession.Create(Instance, model, new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 });
}
