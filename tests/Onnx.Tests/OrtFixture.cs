using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;

namespace Inference.Onnx.Tests;

/// <summary>The process's one ORT environment, shared by every test (ORT allows one per process).</summary>
public static class OrtFixture
{
    private static readonly Lazy<OrtEnvironment> Shared = new(() =>
        OrtEnvironment.Create(OrtLibraryLocator.ResolveDefault(), OrtLoggingLevel.Error, (_, _, _) => { }, "tests"));

    public static OrtEnvironment Environment => Shared.Value;
}
