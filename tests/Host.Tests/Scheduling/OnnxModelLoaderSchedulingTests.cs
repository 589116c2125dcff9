using Inference.Host.Configuration;
using Inference.Host.Execution;
using Inference.Host.Registry;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Registry;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Inference.Host.Tests.Scheduling;

/// <summary>The loader's side of scheduling: <c>Models:{name}:Instances</c> and <c>Batching</c> read, checked and applied at load.</summary>
public sealed class OnnxModelLoaderSchedulingTests : IDisposable
{
    private readonly ScratchRepository repository = new();
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
    public void WithoutSettingsTheModelHasOneSharedInstanceAndNoBatching()
    {
        var model = LoadReady(Configuration());

        Assert.Equal(1, model.Instances.Count);
        Assert.Equal(ModelInstance.Unlimited, model.Instances.RunsPerInstance);
        Assert.False(model.Scheduler.Batching.Enabled);
        Assert.Same(model.Instances.Primary.Session, model.Session);
    }

    [Fact]
    public void DeclaredInstancesAreOpenedEachTakingOneRun()
    {
        var model = LoadReady(Configuration(("Models:m:Instances:Count", "3"), ("Models:m:Instances:IntraOpThreads", "2")));

        Assert.Equal(3, model.Instances.Count);
        Assert.Equal(1, model.Instances.RunsPerInstance);
        Assert.Equal(3, model.Instances.Instances.Select(i => i.Session).Distinct().Count());
        Assert.All(model.Instances.Instances, i => Assert.Equal(InstanceDevice.Cpu, i.Device));
    }

    [Fact]
    public void BatchingSettingsReachTheScheduler()
    {
        var model = LoadReady(Configuration(("Models:m:Batching:MaxBatchSize", "8"), ("Models:m:Batching:MaxQueueDelayMicroseconds", "100"), ("Models:m:Batching:PreferredBatchSizes:0", "4")));

        Assert.Equal((8, 100L), (model.Scheduler.Batching.MaxBatchSize, model.Scheduler.Batching.MaxQueueDelayMicroseconds));
        Assert.Equal([4], model.Scheduler.Batching.PreferredBatchSizes);
        Assert.True(model.Scheduler.Batching.Enabled);
    }

    [Fact]
    public void BatchingAModelWithAFixedFirstDimensionFailsItsLoadNamingTheKey()
    {
        var entry = Load(Configuration(("Models:m:Batching:MaxBatchSize", "8")), SchedulingModels.FixedBatch());

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Contains("Models:m:Batching:MaxBatchSize", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("'IN'", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("[4,2]", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadSettingFailsTheLoadNamingTheKey()
    {
        var entry = Load(Configuration(("Models:m:Instances:Count", "many")));

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Null(entry.Model);
        Assert.Contains("Models:m:Instances:Count", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("'many'", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherModelsSettingsDoNotApply()
    {
        var model = LoadReady(Configuration(("Models:other:Instances:Count", "x"), ("Models:other:Batching:MaxBatchSize", "8")));

        Assert.Equal(1, model.Instances.Count);
        Assert.False(model.Scheduler.Batching.Enabled);
    }

    [Fact]
    public void ACudaInstanceFallsBackOrFailsTheModelAsConfigured()
    {
        if (OrtTestEnvironment.Instance.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            return; // a CUDA build: nothing to fall back from here
        }

        var devices = Configuration(("Models:m:Instances:Devices:0", "cpu"), ("Models:m:Instances:Devices:1", "cuda:0"));
        var model = LoadReady(devices, new OnnxRuntimeOptions { CudaFallbackToCpu = true });
        Assert.Equal([InstanceDevice.Cpu, InstanceDevice.Cuda(0)], model.Instances.Instances.Select(i => i.Device));
        Assert.All(model.Instances.Instances, i => Assert.Equal(ExecutionProviderKind.Cpu, i.Provider.Effective));

        // Without the fallback only this model fails to load (the host's own provider failing stops the host).
        var entry = Load(devices, ort: new OnnxRuntimeOptions { CudaFallbackToCpu = false });
        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Contains("Models:m:Instances:Devices", entry.Reason, StringComparison.Ordinal);
        Assert.Contains(CudaProviderSettings.ProviderName, entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingTheInstanceCountInTheConfigurationAddsAndRemovesInstancesLive()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Models:m:Instances:Count"] = "1" }).Build();
        var model = LoadReady(configuration);

        configuration["Models:m:Instances:Count"] = "3";
        configuration.Reload();
        Assert.True(await Transport.Http.OipClient.EventuallyAsync(() => Task.FromResult(model.Instances.Count == 3), 30_000), $"count is {model.Instances.Count}");

        configuration["Models:m:Instances:Count"] = "nonsense";
        configuration.Reload();
        configuration["Models:m:Instances:Count"] = "2";
        configuration.Reload();
        Assert.True(await Transport.Http.OipClient.EventuallyAsync(() => Task.FromResult(model.Instances.Count == 2), 30_000), $"count is {model.Instances.Count}");

        // Unset: back to what the model was loaded with when the key is absent.
        configuration["Models:m:Instances:Count"] = null;
        configuration.Reload();
        Assert.True(await Transport.Http.OipClient.EventuallyAsync(() => Task.FromResult(model.Instances.Count == 1), 30_000), $"count is {model.Instances.Count}");
        Assert.Equal(1, model.Instances.RunsPerInstance);
    }

    private OnnxModel LoadReady(IConfiguration configuration, OnnxRuntimeOptions? ort = null)
    {
        var entry = Load(configuration, ort: ort);
        Assert.True(entry.State == ModelState.Ready, entry.Reason);
        return entry.Model!;
    }

    private ModelVersionEntry Load(IConfiguration configuration, byte[]? model = null, OnnxRuntimeOptions? ort = null)
    {
        var path = repository.AddVersion("m", loaded.Count + 1, model ?? SchedulingModels.Identity(TensorElementType.Float));
        var loader = new OnnxModelLoader(
            OrtTestEnvironment.Instance,
            Options.Create(ort ?? new OnnxRuntimeOptions()),
            TimeProvider.System,
            NullLogger<OnnxModelLoader>.Instance,
            configuration);
        var entry = loader.Load(new ModelSource("m", loaded.Count + 1, path));
        loaded.Add(entry);
        return entry;
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
