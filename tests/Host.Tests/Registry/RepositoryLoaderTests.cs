using Inference.Host.Configuration;
using Inference.Host.Execution;
using Inference.Host.Registry;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Observability;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Inference.Host.Tests.Registry;

public sealed class RepositoryLoaderTests : IDisposable
{
    private readonly ScratchRepository repository = new();
    private readonly ModelRegistry registry = new();

    public void Dispose()
    {
        registry.Dispose();
        repository.Dispose();
    }

    [Fact]
    public async Task EverySourceOfTheRepositoryIsRegisteredAndTheRepositoryMarkedLoaded()
    {
        repository.AddVersion("versioned", 1);
        repository.AddVersion("versioned", 2);
        repository.AddFlat("flat");
        var corrupt = repository.AddVersion("corrupt", 1, ScratchRepository.Garbage);
        repository.AddFolder("badversion", "latest");
        repository.AddFolder("lonely");
        repository.AddFolder("missing", "2");
        repository.AddVersion("bad name", 1);
        repository.AddVersion("seq_in", 1, NonTensorModels.SequenceInput());
        var loader = Loader(repository.Root);
        Assert.False(registry.IsRepositoryLoaded);

        await loader.StartAsync(CancellationToken.None);

        Assert.True(registry.IsRepositoryLoaded);
        var all = registry.All();
        Assert.Equal(
            new[]
            {
                ("bad name", 1L, ModelState.Unavailable),
                ("badversion", 0L, ModelState.Unavailable),
                ("corrupt", 1L, ModelState.Unavailable),
                ("flat", 1L, ModelState.Ready),
                ("lonely", 0L, ModelState.Unavailable),
                ("missing", 2L, ModelState.Unavailable),
                ("seq_in", 1L, ModelState.Unavailable),
                ("versioned", 1L, ModelState.Ready),
                ("versioned", 2L, ModelState.Ready),
            },
            all.Select(e => (e.Name, e.Version, e.State)).ToArray());
        Assert.All(all, e => Assert.Equal(e.State == ModelState.Ready, e.Model is not null));
        Assert.All(all, e => Assert.Equal(e.State == ModelState.Ready, e.Reason is null));
        Assert.Contains(corrupt, Assert.Single(all, e => e.Name == "corrupt").Reason, StringComparison.Ordinal);
        Assert.Contains("'latest'", Assert.Single(all, e => e.Name == "badversion").Reason, StringComparison.Ordinal);
        Assert.Contains("not a tensor", Assert.Single(all, e => e.Name == "seq_in").Reason, StringComparison.Ordinal);

        var served = registry.Resolve("versioned", null, out var error);
        Assert.Null(error);
        Assert.NotNull(served);
        Assert.Equal(2, served.Version);
        Assert.Equal(2, Assert.IsType<OnnxModel>(served.Model).Version);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task WithoutARepositoryTheSamplesBesideTheHostAreLoaded(string? configured)
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "samples", "models"), RepositoryLoader.DefaultRepository);
        Assert.True(Directory.Exists(RepositoryLoader.DefaultRepository));

        await Loader(configured).StartAsync(CancellationToken.None);

        Assert.True(registry.IsRepositoryLoaded);
        Assert.Equal(
            new[] { ("mlp_classifier", 1L, ModelState.Ready), ("simple", 1L, ModelState.Ready), ("string_identity", 1L, ModelState.Ready) },
            registry.All().Select(e => (e.Name, e.Version, e.State)).ToArray());
    }

    [Fact]
    public async Task EveryReadyModelIsWarmedUpAndGetsAGateOneThatCannotWarmUpStillServes()
    {
        repository.AddVersion("versioned", 1);
        repository.AddVersion("reshape", 1, new Inference.Onnx.Authoring.OnnxGraphBuilder("reshape")
            .Input("IN", Inference.Onnx.Tensors.TensorElementType.Float, "n")
            .Initializer<long>("target", Inference.Onnx.Tensors.TensorElementType.Int64, [1], [3])
            .Output("OUT", Inference.Onnx.Tensors.TensorElementType.Float, 3)
            .Node("Reshape", ["IN", "target"], ["OUT"])
            .Build());

        await Loader(repository.Root).StartAsync(CancellationToken.None);

        var defaults = new ServerOptions();
        foreach (var name in new[] { "versioned", "reshape" })
        {
            var entry = registry.Resolve(name, null, out var error);
            Assert.Null(error);
            Assert.Equal(new Inference.Host.Admission.LoadLimits(defaults.DefaultOptimalConcurrency, defaults.DefaultMaxConcurrency), entry!.Gate!.Limits);
        }
    }

    [Fact]
    public async Task AMissingRepositoryStopsTheStartNamingIt()
    {
        var missing = Path.Combine(repository.Root, "does-not-exist");

        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Loader(missing).StartAsync(CancellationToken.None));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.False(registry.IsRepositoryLoaded);
        Assert.Empty(registry.All());
    }

    [Fact]
    public async Task ACancelledStartLoadsNothingAndDoesNotMarkTheRepositoryLoaded()
    {
        repository.AddVersion("m", 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => Loader(repository.Root).StartAsync(cancelled.Token));

        Assert.False(registry.IsRepositoryLoaded);
        Assert.Empty(registry.All());
    }

    [Fact]
    public async Task ARequiredExecutionProviderThatIsMissingStopsTheStart()
    {
        repository.AddVersion("m", 1);
        var loader = Loader(repository.Root, new OnnxRuntimeOptions { ExecutionProvider = ExecutionProviderKind.Cuda, CudaFallbackToCpu = false });
        if (OrtTestEnvironment.Instance.AvailableProviders.Contains(CudaProviderSettings.ProviderName))
        {
            // A CUDA-enabled library: whether CUDA loads here depends on the machine; either way the start decides.
            try
            {
                await loader.StartAsync(CancellationToken.None);
                Assert.True(registry.IsRepositoryLoaded);
            }
            catch (ExecutionProviderUnavailableException)
            {
                Assert.False(registry.IsRepositoryLoaded);
            }

            return;
        }

        var e = await Assert.ThrowsAsync<ExecutionProviderUnavailableException>(() => loader.StartAsync(CancellationToken.None));

        Assert.Contains(CudaProviderSettings.ProviderName, e.Message, StringComparison.Ordinal);
        Assert.False(registry.IsRepositoryLoaded);
    }

    [Fact]
    public async Task StopLeavesTheRegistryAsItIs()
    {
        repository.AddFlat("m");
        var loader = Loader(repository.Root);
        await loader.StartAsync(CancellationToken.None);

        await loader.StopAsync(CancellationToken.None);

        Assert.True(registry.IsRepositoryLoaded);
        var entry = Assert.Single(registry.All());
        Assert.Equal(ModelState.Ready, entry.State);
        Assert.NotNull(entry.Model);
        Assert.Single(entry.Model.Session.Outputs);
    }

    [Fact]
    public async Task ADuplicateVersionDoesNotReplaceTheOneServed()
    {
        // The flat file is found first and served; the folder of the same version is the duplicate.
        repository.AddFlat("dup");
        repository.AddVersion("dup", 1, ScratchRepository.Garbage);

        await Loader(repository.Root).StartAsync(CancellationToken.None);

        var entry = Assert.Single(registry.Versions("dup"));
        Assert.Equal(ModelState.Ready, entry.State);
        Assert.NotNull(registry.Resolve("dup", null, out var error));
        Assert.Null(error);
    }

    private RepositoryLoader Loader(string? repositoryPath, OnnxRuntimeOptions? ortOptions = null)
    {
        var modelLoader = new OnnxModelLoader(
            OrtTestEnvironment.Instance,
            Options.Create(ortOptions ?? new OnnxRuntimeOptions()),
            new FixedTimeProvider(DateTimeOffset.UnixEpoch),
            NullLogger<OnnxModelLoader>.Instance);
        var serverOptions = new ServerOptions { Repository = repositoryPath };
        var limits = new Inference.Host.Admission.LoadLimitsProvider(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), new Infrastructure.StaticOptionsMonitor<ServerOptions>(serverOptions));
        return new RepositoryLoader(registry, modelLoader, limits, Options.Create(serverOptions), NullLogger<RepositoryLoader>.Instance);
    }
}
