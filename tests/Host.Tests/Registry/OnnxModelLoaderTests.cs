using Inference.Host.Configuration;
using Inference.Host.Execution;
using Inference.Host.Registry;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Observability;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Inference.Host.Tests.Registry;

public sealed class OnnxModelLoaderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    private readonly ScratchRepository repository = new();
    private readonly FixedTimeProvider time = new(Now);
    private readonly List<ModelVersionEntry> loaded = [];

    public void Dispose()
    {
        foreach (var entry in loaded)
        {
            entry.Model?.Dispose();
        }

        repository.Dispose();
    }

    [Fact]
    public void AGoodModelBecomesReadyWithItsModel()
    {
        var path = repository.AddVersion("negate", 7);

        var entry = Load(new ModelSource("negate", 7, path));

        Assert.Equal("negate", entry.Name);
        Assert.Equal(7, entry.Version);
        Assert.Equal(ModelState.Ready, entry.State);
        Assert.Null(entry.Reason);
        var model = Assert.IsType<OnnxModel>(entry.Model);
        Assert.Equal("negate", model.Name);
        Assert.Equal(7, model.Version);
        Assert.Equal("7", model.VersionText);
        Assert.Equal(ExecutionProviderKind.Cpu, model.Session.Provider.Effective);
        var input = Assert.Single(model.Inputs);
        Assert.Equal(("IN", TensorElementType.Float), (input.Name, input.ElementType));
        Assert.Equal("OUT", Assert.Single(model.Outputs).Name);
        Assert.Equal(new[] { -1.5f, 2f }, RunNegate(model.Session, [1.5f, -2f]));
    }

    [Fact]
    public void TheModelsStatisticsUseTheLoadersClock()
    {
        var entry = Load(new ModelSource("negate", 1, repository.AddFlat("negate")));
        var statistics = Assert.IsType<OnnxModel>(entry.Model).Statistics;

        statistics.RecordSuccess(1, 0, 0, 0, 0, 0);

        Assert.Equal(Now.ToUnixTimeMilliseconds(), statistics.LastInferenceUnixMs);
    }

    [Fact]
    public void ACorruptFileBecomesUnavailableNamingTheFile()
    {
        var path = repository.AddVersion("corrupt", 1, ScratchRepository.Garbage);

        var entry = Load(new ModelSource("corrupt", 1, path));

        Assert.Equal(("corrupt", 1L, ModelState.Unavailable), (entry.Name, entry.Version, entry.State));
        Assert.Null(entry.Model);
        Assert.NotNull(entry.Reason);
        Assert.Contains(path, entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileBecomesUnavailableNamingTheFile()
    {
        var path = repository.AddVersion("empty", 1, []);

        var entry = Load(new ModelSource("empty", 1, path));

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Null(entry.Model);
        Assert.Contains(path, entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileBecomesUnavailableNamingTheFile()
    {
        var path = Path.Combine(repository.Root, "gone", "1", "model.onnx");

        var entry = Load(new ModelSource("gone", 1, path));

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Null(entry.Model);
        Assert.Contains(path, entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ASourceWithAProblemBecomesUnavailableWithThatProblem()
    {
        // The file is a good model: the problem alone decides, the file is not even opened.
        var path = repository.AddVersion("m", 1);
        const string Problem = "version folder 'latest' is not a positive integer";

        var entry = Load(new ModelSource("m", 0, path, Problem));

        Assert.Equal(new ModelVersionEntry("m", 0, ModelState.Unavailable, Problem, null), entry);
    }

    [Fact]
    public void AModelWithASequenceInputBecomesUnavailable()
    {
        var model = NonTensorModels.SequenceInput();
        using (var session = OrtTestEnvironment.CreateSession(model))
        {
            // ORT itself loads it: the loader, not ORT, refuses it.
            Assert.Equal(OnnxValueType.Sequence, Assert.Single(session.Inputs).ValueType);
        }

        var entry = Load(new ModelSource("seq_in", 1, repository.AddVersion("seq_in", 1, model)));

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Null(entry.Model);
        Assert.NotNull(entry.Reason);
        Assert.Contains("'S'", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("Sequence", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("not a tensor", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithASequenceOutputBecomesUnavailable()
    {
        var model = NonTensorModels.SequenceOutput();
        using (var session = OrtTestEnvironment.CreateSession(model))
        {
            Assert.Equal(OnnxValueType.Tensor, Assert.Single(session.Inputs).ValueType);
            Assert.Equal(OnnxValueType.Sequence, Assert.Single(session.Outputs).ValueType);
        }

        var entry = Load(new ModelSource("seq_out", 1, repository.AddVersion("seq_out", 1, model)));

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Null(entry.Model);
        Assert.NotNull(entry.Reason);
        Assert.Contains("'S'", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("Sequence", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARequiredCudaProviderThatIsMissingThrowsInsteadOfMarkingTheModel()
    {
        var path = repository.AddVersion("m", 1);
        var loader = Loader(new OnnxRuntimeOptions { ExecutionProvider = ExecutionProviderKind.Cuda, CudaFallbackToCpu = false });
        if (OrtTestEnvironment.Instance.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            // A CUDA-enabled library: the model either loads on CUDA or the provider's libraries are missing.
            try
            {
                var entry = Track(loader.Load(new ModelSource("m", 1, path)));
                Assert.Equal(ExecutionProviderKind.Cuda, Assert.IsType<OnnxModel>(entry.Model).Session.Provider.Effective);
            }
            catch (ExecutionProviderUnavailableException e)
            {
                Assert.Contains("CUDA", e.Message, StringComparison.Ordinal);
            }

            return;
        }

        var thrown = Assert.Throws<ExecutionProviderUnavailableException>(() => loader.Load(new ModelSource("m", 1, path)));

        Assert.Contains(CudaProviderSettings.ProviderName, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaWithFallbackLoadsTheModelOnCpuWhenCudaIsMissing()
    {
        var path = repository.AddVersion("m", 1);
        var loader = Loader(new OnnxRuntimeOptions { ExecutionProvider = ExecutionProviderKind.Cuda, CudaFallbackToCpu = true });

        var entry = Track(loader.Load(new ModelSource("m", 1, path)));

        Assert.Equal(ModelState.Ready, entry.State);
        var provider = Assert.IsType<OnnxModel>(entry.Model).Session.Provider;
        Assert.Equal(ExecutionProviderKind.Cuda, provider.Requested);
        if (!OrtTestEnvironment.Instance.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            Assert.Equal(ExecutionProviderKind.Cpu, provider.Effective);
            Assert.NotNull(provider.Warning);
            Assert.Contains(CudaProviderSettings.ProviderName, provider.Warning, StringComparison.Ordinal);
        }
    }

    private OnnxModelLoader Loader(OnnxRuntimeOptions? options = null) =>
        new(OrtTestEnvironment.Instance, Options.Create(options ?? new OnnxRuntimeOptions()), time, NullLogger<OnnxModelLoader>.Instance);

    private ModelVersionEntry Load(ModelSource source) => Track(Loader().Load(source));

    private ModelVersionEntry Track(ModelVersionEntry entry)
    {
        loaded.Add(entry);
        return entry;
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
