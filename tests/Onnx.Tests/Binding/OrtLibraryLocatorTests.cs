using Inference.Onnx.Binding;

namespace Inference.Onnx.Tests.Binding;

/// <summary>Resolve only checks that files exist, so empty placeholder files in temp folders stand in for the library.</summary>
public sealed class OrtLibraryLocatorTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("ort-locator-");

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public void ConfiguredPathWinsOverEnvironmentVariableAndShippedCopy()
    {
        var configured = Placeholder("configured/libonnxruntime.so");
        var fromEnvironment = Placeholder("env/libonnxruntime.so");
        Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));

        var location = OrtLibraryLocator.Resolve(configured, Environment(fromEnvironment), root.FullName);

        Assert.Equal(configured, location.Path);
        Assert.Contains("configuration", location.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentVariableWinsOverShippedCopy()
    {
        var fromEnvironment = Placeholder("env/libonnxruntime.so.1.23.2");
        Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));

        var location = OrtLibraryLocator.Resolve(null, Environment(fromEnvironment), root.FullName);

        Assert.Equal(fromEnvironment, location.Path);
        Assert.Contains("RUNTIME_ORT_LIBRARY", location.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void BlankConfiguredPathIsIgnored(string blank)
    {
        var fromEnvironment = Placeholder("env/libonnxruntime.so");

        var location = OrtLibraryLocator.Resolve(blank, Environment(fromEnvironment), root.FullName);

        Assert.Equal(fromEnvironment, location.Path);
    }

    [Fact]
    public void BlankEnvironmentVariableIsIgnored()
    {
        var shipped = Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));

        var location = OrtLibraryLocator.Resolve(null, Environment(" "), root.FullName);

        Assert.Equal(shipped, location.Path);
    }

    [Fact]
    public void OnlyTheDocumentedVariableIsRead()
    {
        var shipped = Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));
        var asked = new List<string>();

        var location = OrtLibraryLocator.Resolve(null, name => { asked.Add(name); return null; }, root.FullName);

        Assert.Equal(shipped, location.Path);
        Assert.Equal(["RUNTIME_ORT_LIBRARY"], asked);
        Assert.Equal("RUNTIME_ORT_LIBRARY", OrtLibraryLocator.EnvironmentVariable);
    }

    [Fact]
    public void NonexistentConfiguredPathThrowsNamingThePath()
    {
        var missing = Path.Combine(root.FullName, "missing", "libonnxruntime.so");
        Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));

        var e = Assert.Throws<FileNotFoundException>(() => OrtLibraryLocator.Resolve(missing, Environment(null), root.FullName));

        Assert.Equal(missing, e.FileName);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonexistentEnvironmentPathThrowsInsteadOfFallingBack()
    {
        var missing = Path.Combine(root.FullName, "gone", "libonnxruntime.so");
        Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));

        var e = Assert.Throws<FileNotFoundException>(() => OrtLibraryLocator.Resolve(null, Environment(missing), root.FullName));

        Assert.Equal(missing, e.FileName);
        Assert.Contains("RUNTIME_ORT_LIBRARY", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredPathIsReturnedFullyQualified()
    {
        var configured = Placeholder("a/libonnxruntime.so");
        var roundabout = Path.Combine(root.FullName, "a", "..", "a", ".", "libonnxruntime.so");

        var location = OrtLibraryLocator.Resolve(roundabout, Environment(null), root.FullName);

        Assert.Equal(configured, location.Path);
    }

    [Fact]
    public void ShippedCopyBesideTheBaseDirectoryIsFound()
    {
        var shipped = Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));

        var location = OrtLibraryLocator.Resolve(null, Environment(null), root.FullName);

        Assert.Equal(shipped, location.Path);
        Assert.Equal("shipped beside the host", location.Source);
    }

    // Regression: AppContext.BaseDirectory ends with '/', and the copy beside it was labelled "source checkout".
    [Fact]
    public void ShippedCopyIsLabelledAsSuchWhenTheBaseDirectoryEndsWithASlash()
    {
        Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));

        var location = OrtLibraryLocator.Resolve(null, Environment(null), root.FullName + Path.DirectorySeparatorChar);

        Assert.Equal("shipped beside the host", location.Source);
    }

    [Fact]
    public void SearchGoesUpwardToASourceCheckout()
    {
        var inCheckout = Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));
        var deep = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "Host", "bin", "Debug", "net10.0"));

        var location = OrtLibraryLocator.Resolve(null, Environment(null), deep.FullName);

        Assert.Equal(inCheckout, location.Path);
        Assert.Equal("source checkout", location.Source);
        Assert.EndsWith("native/onnxruntime/linux-x64/libonnxruntime.so.1", location.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void NearestCopyUpwardWins()
    {
        Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));
        var nearer = Placeholder(Path.Combine("src", OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName));
        var deep = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "Host", "bin"));

        var location = OrtLibraryLocator.Resolve(null, Environment(null), deep.FullName);

        Assert.Equal(nearer, location.Path);
    }

    [Fact]
    public void OtherFileNamesInTheShippedFolderDoNotCount()
    {
        Placeholder(Path.Combine(OrtLibraryLocator.ShippedFolder, "libonnxruntime.so"));
        var deep = Directory.CreateDirectory(Path.Combine(root.FullName, "bin"));

        Assert.Throws<FileNotFoundException>(() => OrtLibraryLocator.Resolve(null, Environment(null), deep.FullName));
    }

    [Fact]
    public void NothingFoundThrowsSayingWhatToDo()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OrtLibraryLocator.Resolve(null, Environment(null), root.FullName));

        Assert.Contains("RUNTIME_ORT_LIBRARY", e.Message, StringComparison.Ordinal);
        Assert.Contains("fetch-onnxruntime.sh", e.Message, StringComparison.Ordinal);
        Assert.Contains(root.FullName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveDefaultHonoursAnExplicitPath()
    {
        var configured = Placeholder("explicit/libonnxruntime.so.1");

        var location = OrtLibraryLocator.ResolveDefault(configured);

        Assert.Equal(configured, location.Path);
    }

    [Fact]
    public void CopyTheBuildShipsBesideTheTestAssemblyIsFoundAndLabelled()
    {
        var location = OrtLibraryLocator.Resolve(null, Environment(null), AppContext.BaseDirectory);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, OrtLibraryLocator.ShippedFolder, OrtLibraryLocator.LibraryFileName), location.Path);
        Assert.Equal("shipped beside the host", location.Source);
    }

    [Fact]
    public void ResolveDefaultFindsAnExistingLibraryForThisProcess()
    {
        var location = OrtLibraryLocator.ResolveDefault();

        Assert.True(File.Exists(location.Path), location.Path);
        Assert.True(new FileInfo(location.Path).Length > 1_000_000, "the real library is tens of megabytes");
    }

    private static Func<string, string?> Environment(string? value) =>
        name => name == OrtLibraryLocator.EnvironmentVariable ? value : null;

    private string Placeholder(string relativePath)
    {
        var path = Path.Combine(root.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
        return path;
    }
}
