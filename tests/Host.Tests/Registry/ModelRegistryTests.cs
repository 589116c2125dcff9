using Inference.Host.Errors;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Registry;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly ModelRegistry registry = new();

    public void Dispose() => registry.Dispose();

    [Fact]
    public void SetAddsAnEntry()
    {
        var entry = Ready("m", 1);

        registry.Set(entry);

        Assert.Same(entry, Assert.Single(registry.Versions("m")));
        Assert.Same(entry, Assert.Single(registry.All()));
    }

    [Fact]
    public void SetReplacesTheEntryOfTheSameVersion()
    {
        registry.Set(new ModelVersionEntry("m", 1, ModelState.Loading, null, null));
        registry.Set(Ready("m", 2));
        var replacement = new ModelVersionEntry("m", 1, ModelState.Unavailable, "broken", null);

        registry.Set(replacement);

        var versions = registry.Versions("m");
        Assert.Equal(new long[] { 1, 2 }, versions.Select(v => v.Version).ToArray());
        Assert.Same(replacement, versions[0]);
    }

    [Fact]
    public void VersionsAreSortedWhateverTheOrderTheyWereSet()
    {
        foreach (var v in new long[] { 3, 10, 1, 2 })
        {
            registry.Set(Ready("m", v));
        }

        Assert.Equal(new long[] { 1, 2, 3, 10 }, registry.Versions("m").Select(v => v.Version).ToArray());
    }

    [Fact]
    public void VersionsOfAnUnknownModelIsEmpty()
    {
        registry.Set(Ready("m", 1));

        Assert.Empty(registry.Versions("other"));
        Assert.Empty(registry.Versions("M"));
    }

    [Fact]
    public void AllIsOrderedByNameThenVersion()
    {
        registry.Set(Ready("b", 2));
        registry.Set(Ready("a", 10));
        registry.Set(Ready("B", 1));
        registry.Set(Ready("b", 1));
        registry.Set(Ready("a.b", 1));
        registry.Set(Ready("a", 9));

        var all = registry.All().Select(e => (e.Name, e.Version)).ToArray();

        // Ordinal: upper case before lower case, "a" before "a.b".
        Assert.Equal(new[] { ("B", 1L), ("a", 9L), ("a", 10L), ("a.b", 1L), ("b", 1L), ("b", 2L) }, all);
    }

    [Fact]
    public void ConcurrentSetsOfOneModelKeepEveryVersion()
    {
        const int Threads = 8;
        const int PerThread = 50;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                registry.Set(Ready("m", 1 + (i * Threads) + t));
            }
        });

        Assert.Equal(Enumerable.Range(1, Threads * PerThread).Select(v => (long)v), registry.Versions("m").Select(v => v.Version));
    }

    [Fact]
    public void ResolvingAnUnknownModelIsNotFoundNamingIt()
    {
        registry.Set(Ready("known", 1));

        var entry = registry.Resolve("unknown_model", null, out var error);

        Assert.Null(entry);
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("'unknown_model'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TheDefaultVersionIsTheNewestReadyOne(string? version)
    {
        registry.Set(Ready("m", 1));
        var newest = Ready("m", 3);
        registry.Set(newest);
        registry.Set(Ready("m", 2));

        var entry = registry.Resolve("m", version, out var error);

        Assert.Null(error);
        Assert.Same(newest, entry);
    }

    [Fact]
    public void WhenTheNewestIsUnavailableTheOlderReadyVersionIsServed()
    {
        var older = Ready("m", 1);
        registry.Set(older);
        registry.Set(new ModelVersionEntry("m", 2, ModelState.Unavailable, "corrupt file", null));
        registry.Set(new ModelVersionEntry("m", 3, ModelState.Loading, null, null));

        var entry = registry.Resolve("m", null, out var error);

        Assert.Null(error);
        Assert.Same(older, entry);
    }

    [Fact]
    public void NoReadyVersionIsUnavailableWithTheNewestReason()
    {
        registry.Set(new ModelVersionEntry("m", 1, ModelState.Unavailable, "old reason", null));
        var newest = new ModelVersionEntry("m", 2, ModelState.Unavailable, "failed to load /x/model.onnx: bad protobuf", null);
        registry.Set(newest);

        var entry = registry.Resolve("m", null, out var error);

        Assert.Same(newest, entry);
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("'m'", error.Message, StringComparison.Ordinal);
        Assert.Contains("UNAVAILABLE", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed to load /x/model.onnx: bad protobuf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoReadyVersionWhileLoadingSaysLoading()
    {
        registry.Set(new ModelVersionEntry("m", 1, ModelState.Loading, null, null));

        var entry = registry.Resolve("m", null, out var error);

        Assert.NotNull(entry);
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("LOADING", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    [InlineData("10", 10)]
    public void AnExplicitReadyVersionIsFound(string version, long expected)
    {
        foreach (var v in new long[] { 1, 2, 10 })
        {
            registry.Set(Ready("m", v));
        }

        var entry = registry.Resolve("m", version, out var error);

        Assert.Null(error);
        Assert.NotNull(entry);
        Assert.Equal(expected, entry.Version);
        Assert.Equal("m", entry.Name);
    }

    [Fact]
    public void AnExplicitVersionThatIsNotReadyIsUnavailableWithItsReason()
    {
        registry.Set(Ready("m", 1));
        var broken = new ModelVersionEntry("m", 2, ModelState.Unavailable, "'S' is a Sequence, not a tensor", null);
        registry.Set(broken);

        var entry = registry.Resolve("m", "2", out var error);

        Assert.Same(broken, entry);
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'S' is a Sequence, not a tensor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAbsentVersionIsNotFoundListingTheVersions()
    {
        registry.Set(Ready("m", 1));
        registry.Set(Ready("m", 4));

        var entry = registry.Resolve("m", "3", out var error);

        Assert.Null(entry);
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("'m'", error.Message, StringComparison.Ordinal);
        Assert.Contains("version 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("1, 4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0x1")]
    [InlineData("99999999999999999999")]
    public void ANonNumericVersionIsNotFound(string version)
    {
        registry.Set(Ready("m", 1));

        var entry = registry.Resolve("m", version, out var error);

        Assert.Null(entry);
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains($"'{version}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRepositoryIsLoadedOnlyOnceMarked()
    {
        Assert.False(registry.IsRepositoryLoaded);
        registry.Set(Ready("m", 1));
        Assert.False(registry.IsRepositoryLoaded);

        registry.MarkRepositoryLoaded();

        Assert.True(registry.IsRepositoryLoaded);
    }

    [Fact]
    public void DisposeDisposesEveryLoadedModel()
    {
        using var owner = new ModelRegistry();
        var first = LoadedNegate("a", 1);
        var second = LoadedNegate("a", 2);
        var third = LoadedNegate("b", 1);
        owner.Set(new ModelVersionEntry("a", 1, ModelState.Ready, null, first));
        owner.Set(new ModelVersionEntry("a", 2, ModelState.Ready, null, second));
        owner.Set(new ModelVersionEntry("b", 1, ModelState.Ready, null, third));
        owner.Set(new ModelVersionEntry("c", 1, ModelState.Unavailable, "broken", null));
        foreach (var model in new[] { first, second, third })
        {
            Assert.Equal(new[] { -1f, 2f }, RunNegate(model.Session, [1f, -2f]));
        }

        owner.Dispose();

        foreach (var model in new[] { first, second, third })
        {
            Assert.Throws<ObjectDisposedException>(() => RunNegate(model.Session, [1f]));
        }

        Assert.Empty(owner.All());
        Assert.Empty(owner.Versions("a"));
    }

    /// <summary>A ready entry whose model is not used (a null model keeps these tests free of ORT).</summary>
    private static ModelVersionEntry Ready(string name, long version) => new(name, version, ModelState.Ready, null, null);

    private static OnnxModel LoadedNegate(string name, long version) =>
        new(name, version, OrtTestEnvironment.CreateSession(ScratchRepository.Negate), new ModelStatistics(TimeProvider.System));

    private static float[] RunNegate(InferenceSession session, float[] input)
    {
        using var value = OrtValue.CreateTensor<float>(TensorElementType.Float, [input.Length], input);
        var results = new OrtValue?[1];
        session.Run([0], [value], [0], results);
        using var result = results[0]!;
        return result.GetData<float>().ToArray();
    }
}
