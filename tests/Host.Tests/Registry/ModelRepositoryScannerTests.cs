using Inference.Host.Registry;

namespace Inference.Host.Tests.Registry;

public sealed class ModelRepositoryScannerTests : IDisposable
{
    private readonly ScratchRepository repository = new();

    public void Dispose() => repository.Dispose();

    [Fact]
    public void EachNumericVersionFolderIsOneSource()
    {
        var one = repository.AddVersion("m", 1);
        var two = repository.AddVersion("m", 2);
        var ten = repository.AddVersion("m", 10);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Equal(3, sources.Count);
        Assert.All(sources, s => Assert.Equal("m", s.Name));
        Assert.All(sources, s => Assert.Null(s.Problem));
        Assert.Equal(
            new[] { (1L, one), (2L, two), (10L, ten) },
            sources.Select(s => (s.Version, s.Path)).OrderBy(p => p.Version).ToArray());
    }

    [Fact]
    public void AFlatFileIsVersionOne()
    {
        var path = repository.AddFlat("flat");

        var source = Assert.Single(ModelRepositoryScanner.Scan(repository.Root));

        Assert.Equal(new ModelSource("flat", 1, path, null), source);
    }

    [Fact]
    public void FlatFilesAndFoldersAreFoundTogether()
    {
        var flat = repository.AddFlat("a_flat");
        var folder = repository.AddVersion("b_folder", 3);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Contains(new ModelSource("a_flat", 1, flat), sources);
        Assert.Contains(new ModelSource("b_folder", 3, folder), sources);
        Assert.Equal(2, sources.Count);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("0")]
    [InlineData("00")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("v2")]
    [InlineData(" 3")]
    [InlineData("99999999999999999999")]
    public void AVersionFolderThatIsNotAPositiveIntegerIsReported(string version)
    {
        var good = repository.AddVersion("m", 1);
        var bad = repository.AddVersion("m", version);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Equal(2, sources.Count);
        Assert.Contains(new ModelSource("m", 1, good), sources);
        var reported = Assert.Single(sources, s => s.Problem is not null);
        Assert.Equal("m", reported.Name);
        Assert.Equal(0, reported.Version);
        Assert.Equal(Path.GetDirectoryName(bad), reported.Path);
        Assert.Contains($"'{version}'", reported.Problem, StringComparison.Ordinal);
        Assert.Contains("positive integer", reported.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelFolderWithoutVersionFoldersIsReported()
    {
        var dir = repository.AddFolder("lonely");

        // A model file placed directly in the model folder is the usual mistake; it does not count as a version.
        repository.AddFile(ScratchRepository.Negate, "lonely", "model.onnx");

        var source = Assert.Single(ModelRepositoryScanner.Scan(repository.Root));

        Assert.Equal("lonely", source.Name);
        Assert.Equal(0, source.Version);
        Assert.Equal(dir, source.Path);
        Assert.NotNull(source.Problem);
        Assert.Contains("no version folders", source.Problem, StringComparison.Ordinal);
        Assert.Contains(dir, source.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AVersionFolderWithoutModelFileIsReported()
    {
        var dir = repository.AddFolder("m", "3");
        repository.AddFile(ScratchRepository.Negate, "m", "3", "other.onnx");
        var expectedPath = Path.Combine(dir, "model.onnx");

        var source = Assert.Single(ModelRepositoryScanner.Scan(repository.Root));

        Assert.Equal("m", source.Name);
        Assert.Equal(3, source.Version);
        Assert.Equal(expectedPath, source.Path);
        Assert.NotNull(source.Problem);
        Assert.Contains(expectedPath, source.Problem, StringComparison.Ordinal);
        Assert.Contains("missing", source.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("-dash-first")]
    [InlineData("_underscore_first")]
    [InlineData("semi;colon")]
    [InlineData("caf\u00e9")]
    public void AnInvalidModelNameIsReportedForFoldersAndFlatFiles(string name)
    {
        var folderPath = repository.AddVersion(name, 1);
        var flatPath = repository.AddFlat(name);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Equal(2, sources.Count);
        Assert.All(sources, s =>
        {
            Assert.Equal(name, s.Name);
            Assert.Equal(1, s.Version);
            Assert.NotNull(s.Problem);
            Assert.Contains($"'{name}'", s.Problem, StringComparison.Ordinal);
        });
        Assert.Equal(new[] { flatPath, folderPath }.Order(StringComparer.Ordinal), sources.Select(s => s.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ANameOf129CharactersIsReportedAnd128IsAccepted()
    {
        var longest = "a" + new string('b', 127);
        var tooLong = longest + "c";
        Assert.Equal(128, longest.Length);
        Assert.Equal(129, tooLong.Length);
        repository.AddVersion(longest, 1);
        repository.AddVersion(tooLong, 1);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Null(Assert.Single(sources, s => s.Name == longest).Problem);
        var reported = Assert.Single(sources, s => s.Name == tooLong);
        Assert.NotNull(reported.Problem);
        Assert.Contains("1-128", reported.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("Model_1")]
    [InlineData("resnet-50.v2")]
    [InlineData("x.")]
    [InlineData("A_-.9")]
    public void ValidNamesAreAccepted(string name)
    {
        Assert.True(ModelRepositoryScanner.ValidName(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-a")]
    [InlineData("_a")]
    [InlineData("a b")]
    [InlineData(" a")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a:b")]
    [InlineData("\u00e9")]
    public void InvalidNamesAreRejected(string name)
    {
        Assert.False(ModelRepositoryScanner.ValidName(name));
    }

    [Fact]
    public void ANameEndingInANewlineIsInvalid()
    {
        Assert.False(ModelRepositoryScanner.ValidName("abc\n"));

        repository.AddVersion("abc\n", 1);
        var source = Assert.Single(ModelRepositoryScanner.Scan(repository.Root));
        Assert.NotNull(source.Problem);
    }

    [Fact]
    public void HiddenFoldersAreSkipped()
    {
        repository.AddVersion(".git", 1);
        repository.AddFolder(".cache");
        repository.AddFolder(".empty_hidden", "not-a-version");
        var visible = repository.AddVersion("visible", 1);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Equal(new ModelSource("visible", 1, visible), Assert.Single(sources));
    }

    [Fact]
    public void OtherFilesAreIgnored()
    {
        repository.AddFile("# models"u8.ToArray(), "README.md");
        repository.AddFile(ScratchRepository.Negate, "old.onnx.bak");
        repository.AddFile(ScratchRepository.Negate, "model.onnx_");
        repository.AddFile("{}"u8.ToArray(), "m", "1", "config.json");
        var model = repository.AddVersion("m", 1);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Equal(new ModelSource("m", 1, model), Assert.Single(sources));
    }

    [Fact]
    public void AnEmptyRepositoryHasNoSources()
    {
        Assert.Empty(ModelRepositoryScanner.Scan(repository.Root));
    }

    [Fact]
    public void AMissingRepositoryThrowsNamingItsFullPath()
    {
        var relative = "no-such-repository-" + Guid.NewGuid().ToString("N");

        var e = Assert.Throws<DirectoryNotFoundException>(() => ModelRepositoryScanner.Scan(relative));

        Assert.Contains(Path.Combine(Directory.GetCurrentDirectory(), relative), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileInPlaceOfTheRepositoryThrows()
    {
        var file = repository.AddFile([1, 2, 3], "not-a-folder");

        var e = Assert.Throws<DirectoryNotFoundException>(() => ModelRepositoryScanner.Scan(file));

        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderingIsDeterministicAndIndependentOfCreationOrder()
    {
        string[] names = ["zeta", "Alpha", "beta", "a.b", "a_b", "a-b", "B2", "0day"];
        using var reversed = new ScratchRepository();
        foreach (var name in names)
        {
            repository.AddVersion(name, 2);
            repository.AddVersion(name, 1);
            repository.AddFlat("flat_" + name);
        }

        foreach (var name in names.Reverse())
        {
            reversed.AddFlat("flat_" + name);
            reversed.AddVersion(name, 1);
            reversed.AddVersion(name, 2);
        }

        var first = ModelRepositoryScanner.Scan(repository.Root);
        var second = ModelRepositoryScanner.Scan(repository.Root);
        var other = ModelRepositoryScanner.Scan(reversed.Root);

        Assert.Equal(names.Length * 3, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(
            first.Select(s => (s.Name, s.Version, Path.GetRelativePath(repository.Root, s.Path))),
            other.Select(s => (s.Name, s.Version, Path.GetRelativePath(reversed.Root, s.Path))));

        // Flat files first, then folders; each group by name, ordinal.
        var flat = first.Take(names.Length).Select(s => s.Name).ToArray();
        var folders = first.Skip(names.Length).Select(s => s.Name).ToArray();
        Assert.Equal(names.Select(n => "flat_" + n).Order(StringComparer.Ordinal), flat);
        Assert.Equal(names.Order(StringComparer.Ordinal).SelectMany(n => new[] { n, n }), folders);
    }

    [Fact]
    public void AModelGivenBothAsFlatFileAndFolderIsReported()
    {
        repository.AddFlat("dup");
        repository.AddVersion("dup", 1);

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Contains(sources, s => s.Name == "dup" && s.Problem is not null);
    }

    [Fact]
    public void TwoFoldersForTheSameVersionAreReported()
    {
        repository.AddVersion("m", "1");
        repository.AddVersion("m", "01");

        var sources = ModelRepositoryScanner.Scan(repository.Root);

        Assert.Contains(sources, s => s.Name == "m" && s.Problem is not null);
    }
}
