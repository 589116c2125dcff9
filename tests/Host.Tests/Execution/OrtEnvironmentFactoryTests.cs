using Inference.Host.Configuration;
using Inference.Host.Execution;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Inference.Host.Tests.Execution;

/// <summary>
/// The unit tests' environment and the host's (made by this factory) live in one process: ORT hands
/// both the same reference-counted environment, and disposing one leaves the other working.
/// </summary>
public sealed class OrtEnvironmentFactoryTests
{
    private static readonly byte[] Negate = new OnnxGraphBuilder("negate")
        .Input("IN", TensorElementType.Float, "n")
        .Output("OUT", TensorElementType.Float, "n")
        .Node("Neg", ["IN"], ["OUT"])
        .Build();

    [Fact]
    public void HostEnvironmentCoexistsWithTheTestEnvironment()
    {
        var shared = OrtTestEnvironment.Instance;

        var host = OrtEnvironmentFactory.Create(Options.Create(new OnnxRuntimeOptions()), NullLoggerFactory.Instance);
        try
        {
            Assert.Equal(shared.Version, host.Version);
            Assert.Equal(shared.Library.Path, host.Library.Path);
            Assert.Contains("CPUExecutionProvider", host.AvailableProviders);
            using var session = InferenceSession.Create(host, Negate, new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 });
            Assert.Equal([-1f, 2f], RunNegate(session, [1f, -2f]));
        }
        finally
        {
            host.Dispose();
        }

        // The shared environment survives the other one's release.
        using var after = OrtTestEnvironment.CreateSession(Negate);
        Assert.Equal([-3f, 0.5f], RunNegate(after, [3f, -0.5f]));
    }

    [Fact]
    public void ASecondLibraryInTheSameProcessIsRefused()
    {
        _ = OrtTestEnvironment.Instance;
        var other = Path.Combine(Path.GetTempPath(), "not-onnxruntime-" + Guid.NewGuid().ToString("N") + ".so");
        File.WriteAllBytes(other, [0]);
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() =>
                OrtEnvironmentFactory.Create(Options.Create(new OnnxRuntimeOptions { LibraryPath = other }), NullLoggerFactory.Instance));

            Assert.Contains(other, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(other);
        }
    }

    private static float[] RunNegate(InferenceSession session, float[] input)
    {
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [input.Length], input);
        var results = new OrtValue?[1];
        session.Run([0], [value], [0], results);
        using var result = results[0]!;
        return result.GetData<float>().ToArray();
    }
}
