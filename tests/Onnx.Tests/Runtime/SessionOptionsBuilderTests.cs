using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Tests.Runtime;

public sealed class SessionOptionsBuilderTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public SessionOptionsBuilderTests() => _ = OrtFixture.Environment;

    private static readonly ExecutionProviderOptions CudaOrFail = new() { Kind = ExecutionProviderKind.Cuda, OnUnavailable = ProviderUnavailableAction.Fail };
    private static readonly ExecutionProviderOptions CudaOrCpu = new() { Kind = ExecutionProviderKind.Cuda, OnUnavailable = ProviderUnavailableAction.FallBackToCpu };

    [Fact]
    public void AvailableProvidersIncludeCpu()
    {
        Assert.Contains("CPUExecutionProvider", OrtLibrary.GetAvailableProviders());
        Assert.Equal(OrtLibrary.GetAvailableProviders(), OrtFixture.Environment.AvailableProviders);
    }

    [Fact]
    public void CudaRequiredButUnavailableFailsNamingTheProvider()
    {
        // The CPU library either lacks CUDAExecutionProvider or lists it without the provider's shared
        // libraries (onnxruntime-node 1.23.2 lists it); both must end in the same refusal.
        var e = Assert.Throws<ExecutionProviderUnavailableException>(() =>
            TestModels.Open(TestModels.Binary("Add", TensorElementType.Float), TestModels.SingleThreaded with { ExecutionProvider = CudaOrFail }));

        Assert.Contains("CUDAExecutionProvider", e.Message, StringComparison.Ordinal);
        if (OrtFixture.Environment.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            Assert.IsType<OrtException>(e.InnerException);
        }
    }

    [Fact]
    public void CudaUnavailableWithFallbackRunsOnCpuWithAWarning()
    {
        using var session = TestModels.Open(TestModels.Binary("Add", TensorElementType.Float), TestModels.SingleThreaded with { ExecutionProvider = CudaOrCpu });

        Assert.Equal(ExecutionProviderKind.Cuda, session.Provider.Requested);
        Assert.Equal(ExecutionProviderKind.Cpu, session.Provider.Effective);
        Assert.NotNull(session.Provider.Warning);
        Assert.Contains("CUDAExecutionProvider", session.Provider.Warning, StringComparison.Ordinal);

        float[] a = [1, 2, 3];
        using var av = OrtValue.CreateTensor<float>(TensorElementType.Float, [1, 3], a);
        using var c = TestModels.RunSingle(session, ("a", av), ("b", av));
        Assert.Equal(a.Select(x => x + x), c.GetData<float>().ToArray());
    }

    [Fact]
    public void LibraryWithoutCudaIsReportedWithWhatItHas()
    {
        string[] cpuOnly = ["CPUExecutionProvider"];

        var e = Assert.Throws<ExecutionProviderUnavailableException>(() =>
            SessionOptionsBuilder.Build(new OnnxSessionOptions { ExecutionProvider = CudaOrFail }, cpuOnly, out _).Dispose());

        Assert.Contains("built without CUDAExecutionProvider", e.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", e.Message.Replace("without CUDAExecutionProvider", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(OrtLibraryLocator.EnvironmentVariable, e.Message, StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void LibraryWithoutCudaFallsBackWhenAllowed()
    {
        string[] cpuOnly = ["CPUExecutionProvider"];

        using var handle = SessionOptionsBuilder.Build(new OnnxSessionOptions { ExecutionProvider = CudaOrCpu }, cpuOnly, out var selection);

        Assert.False(handle.IsInvalid);
        Assert.Equal(ExecutionProviderKind.Cpu, selection.Effective);
        Assert.Equal(ExecutionProviderKind.Cuda, selection.Requested);
        Assert.StartsWith("running on CPU instead of CUDA", selection.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuRequestNeedsNoProviderCheck()
    {
        using var handle = SessionOptionsBuilder.Build(new OnnxSessionOptions(), [], out var selection);

        Assert.Equal(new ExecutionProviderSelection(ExecutionProviderKind.Cpu, ExecutionProviderKind.Cpu, null), selection);
    }

    [Fact]
    public void InvalidCudaSettingsAreNotHiddenByFallback()
    {
        var options = new OnnxSessionOptions { ExecutionProvider = CudaOrCpu with { CudaDeviceId = -2 } };

        Assert.Throws<ArgumentOutOfRangeException>(() => SessionOptionsBuilder.Build(options, ["CPUExecutionProvider"], out _).Dispose());
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.DisableAll, false, true)]
    [InlineData(GraphOptimizationLevel.Basic, false, false)]
    [InlineData(GraphOptimizationLevel.Extended, true, true)]
    [InlineData(GraphOptimizationLevel.All, true, false)]
    public void SessionsBuiltWithEachSettingCompute(GraphOptimizationLevel level, bool parallel, bool arena)
    {
        var options = new OnnxSessionOptions
        {
            IntraOpThreads = 2,
            InterOpThreads = parallel ? 2 : 0,
            ParallelExecution = parallel,
            GraphOptimization = level,
            EnableCpuMemArena = arena,
            AllowSpinning = parallel,
            LogId = $"opt-{level}",
            ConfigEntries = new Dictionary<string, string> { ["session.use_env_allocators"] = "0" },
        };
        using var session = TestModels.Open(TestModels.Binary("Sub", TensorElementType.Double), options);
        double[] a = [1.25, -3, 1e10];
        double[] b = [0.25, 4, -1e-10];
        using var av = OrtValue.CreateTensor<double>(TensorElementType.Double, [1, 3], a);
        using var bv = OrtValue.CreateTensor<double>(TensorElementType.Double, [1, 3], b);
        using var c = TestModels.RunSingle(session, ("a", av), ("b", bv));

        Assert.Equal(a.Zip(b, (x, y) => x - y), c.GetData<double>().ToArray());
    }
}
