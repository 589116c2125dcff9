using System.Text.RegularExpressions;
using Inference.Onnx.Binding;

namespace Inference.Onnx.Tests.Binding;

public sealed class OrtLibraryTests
{
    // Loads the library and creates the one environment before any test here touches ORT.
    public OrtLibraryTests() => _ = OrtFixture.Environment;

    [Fact]
    public void LibraryIsLoadedFromAnExistingFile()
    {
        Assert.True(OrtLibrary.IsLoaded);
        var location = Assert.IsType<OrtLibraryLocation>(OrtLibrary.Location);
        Assert.True(File.Exists(location.Path), location.Path);
        Assert.True(Path.IsPathFullyQualified(location.Path), location.Path);
        Assert.False(string.IsNullOrWhiteSpace(location.Source));
        Assert.Equal(location, OrtFixture.Environment.Library);
    }

    [Fact]
    public void VersionIsAtLeastTheApiVersionAskedFor()
    {
        var match = Regex.Match(OrtLibrary.Version, @"^(\d+)\.(\d+)\.(\d+)");
        Assert.True(match.Success, OrtLibrary.Version);
        var version = new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));

        Assert.True(version >= new Version(1, 23), OrtLibrary.Version);
        Assert.Equal(OrtLibrary.Version, OrtFixture.Environment.Version);
    }

    [Fact]
    public void BuildInfoDescribesTheBuild()
    {
        Assert.Contains("git-commit-id", OrtLibrary.BuildInfo, StringComparison.Ordinal);
    }

    [Fact]
    public void AvailableProvidersContainCpuOnceAndNoEmptyNames()
    {
        var providers = OrtLibrary.GetAvailableProviders();

        Assert.Single(providers, p => p == "CPUExecutionProvider");
        Assert.All(providers, p => Assert.EndsWith("ExecutionProvider", p, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadingTheSameLibraryAgainIsANoOp()
    {
        var location = OrtLibrary.Location!;
        var version = OrtLibrary.Version;

        OrtLibrary.Load(location with { Source = "again" });

        Assert.Same(location, OrtLibrary.Location);
        Assert.Equal(version, OrtLibrary.Version);
    }

    [Fact]
    public void LoadingASecondLibraryIsRefusedNamingBoth()
    {
        var current = OrtLibrary.Location!.Path;
        const string Other = "/nonexistent/other/libonnxruntime.so.1";

        var e = Assert.Throws<InvalidOperationException>(() => OrtLibrary.Load(new OrtLibraryLocation(Other, "test")));

        Assert.Contains(current, e.Message, StringComparison.Ordinal);
        Assert.Contains(Other, e.Message, StringComparison.Ordinal);
        Assert.Equal(current, OrtLibrary.Location!.Path);
    }
}
