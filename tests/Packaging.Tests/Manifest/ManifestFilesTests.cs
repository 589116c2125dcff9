using Inference.Packaging.Manifest;

namespace Inference.Packaging.Tests.Manifest;

public sealed class ManifestFilesTests : IDisposable
{
    private const string Template = """
        service:
          id: demo
          version: 1.0.0
          interface: oneshot
        request:
          - name: audio
            type: audio
            encodings: [raw]
          - name: text
            type: text
            encodings: [utf8]
        response:
          - name: scaled
            type: tensor
            encodings: [json, raw]
          - name: label
            type: text
            encodings: [json]
        tests:
          - name: first
            request:
              audio: { file: tests/first.raw }
              text: { text: hello }
            expect:
              scaled: { equalsFile: tests/first.expected.json }
              label: { contains: ok }
          - name: second
            request:
              audio: { file: tests/second.raw }
              text: { file: tests/second.txt }
            expect:
              scaled: { equalsFile: tests/second.expected.json }
              label: { equals: ok }
        config:
          maxConcurrency: 2
          optimalConcurrency: 1
        resources:
          preset: C1
        engine:
        __ENGINE__
        """;

    private const string OnnxEngine = """
          kind: onnx
          model: model/model.onnx
          inputs:
            - { source: audio, tensor: AUDIO, datatype: FP32 }
          outputs:
            - { source: scaled, tensor: OUT }
        """;

    private const string ManagedEngine = """
          kind: managed
          model: model/model.onnx
          assembly: lib/Demo.Plugin.dll
          type: Demo.Plugin
        """;

    private const string NativeEngine = """
          kind: native
          library: lib/libdemo.so
        """;

    /// <summary>Every file the test cases of <see cref="Template"/> name, with where the manifest names it.</summary>
    private static readonly (string Where, string File)[] TestFiles =
    [
        ("tests[0].request.audio.file", "tests/first.raw"),
        ("tests[0].expect.scaled.equalsFile", "tests/first.expected.json"),
        ("tests[1].request.audio.file", "tests/second.raw"),
        ("tests[1].request.text.file", "tests/second.txt"),
        ("tests[1].expect.scaled.equalsFile", "tests/second.expected.json"),
    ];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("manifest-files-");

    private string Root => _root.FullName;

    public void Dispose() => _root.Delete(recursive: true);

    [Theory]
    [InlineData("onnx")]
    [InlineData("managed")]
    [InlineData("native")]
    public void ReportsNothingWhenEveryNamedFileIsThere(string kind)
    {
        var (manifest, named) = Manifest(kind);
        foreach (var (_, file) in named)
        {
            Put(file);
        }

        Assert.Empty(ManifestFiles.FindMissing(manifest, Root));
    }

    [Theory]
    [InlineData("onnx")]
    [InlineData("managed")]
    [InlineData("native")]
    public void ReportsEveryMissingFileWithWhereTheManifestNamesIt(string kind)
    {
        var (manifest, named) = Manifest(kind);

        var missing = ManifestFiles.FindMissing(manifest, Root);

        Assert.Equal(named.Count, missing.Count);
        foreach (var (where, file) in named)
        {
            var problem = Assert.Single(missing, p => p.StartsWith(where + ": ", StringComparison.Ordinal));
            Assert.Contains($"'{file}'", problem, StringComparison.Ordinal);
            Assert.Contains(Root, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("onnx", "engine.model", "model/model.onnx")]
    [InlineData("managed", "engine.model", "model/model.onnx")]
    [InlineData("managed", "engine.assembly", "lib/Demo.Plugin.dll")]
    [InlineData("native", "engine.library", "lib/libdemo.so")]
    [InlineData("onnx", "tests[0].request.audio.file", "tests/first.raw")]
    [InlineData("onnx", "tests[0].expect.scaled.equalsFile", "tests/first.expected.json")]
    [InlineData("native", "tests[1].request.audio.file", "tests/second.raw")]
    [InlineData("managed", "tests[1].request.text.file", "tests/second.txt")]
    [InlineData("onnx", "tests[1].expect.scaled.equalsFile", "tests/second.expected.json")]
    public void ReportsTheOneFileThatIsMissing(string kind, string where, string file)
    {
        var (manifest, named) = Manifest(kind);
        foreach (var (_, present) in named.Where(n => n.File != file))
        {
            Put(present);
        }

        var problem = Assert.Single(ManifestFiles.FindMissing(manifest, Root));

        Assert.StartsWith(where + ": ", problem, StringComparison.Ordinal);
        Assert.Contains($"'{file}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWhereAFileShouldBeIsMissing()
    {
        var (manifest, named) = Manifest("onnx");
        foreach (var (_, file) in named.Where(n => n.Where != "engine.model"))
        {
            Put(file);
        }

        Directory.CreateDirectory(Path.Combine(Root, "model", "model.onnx"));

        var problem = Assert.Single(ManifestFiles.FindMissing(manifest, Root));

        Assert.StartsWith("engine.model: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesAreCaseSensitiveWhereTheFileSystemIs()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            return;
        }

        var (manifest, named) = Manifest("native");
        foreach (var (_, file) in named.Where(n => n.Where != "engine.library"))
        {
            Put(file);
        }

        Put("lib/libDemo.so");

        var problem = Assert.Single(ManifestFiles.FindMissing(manifest, Root));

        Assert.StartsWith("engine.library: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ADotSlashPathIsFound()
    {
        var manifest = Read(Template.Replace("__ENGINE__", OnnxEngine, StringComparison.Ordinal).Replace("model: model/model.onnx", "model: ./model/model.onnx", StringComparison.Ordinal));
        Put("model/model.onnx");
        foreach (var (_, file) in TestFiles)
        {
            Put(file);
        }

        Assert.Empty(ManifestFiles.FindMissing(manifest, Root));
    }

    [Fact]
    public void AManifestWithoutTestsNeedsOnlyTheEngineFiles()
    {
        var yaml = Template.Replace("__ENGINE__", ManagedEngine, StringComparison.Ordinal);
        yaml = yaml[..yaml.IndexOf("tests:", StringComparison.Ordinal)] + yaml[yaml.IndexOf("config:", StringComparison.Ordinal)..];
        var manifest = Read(yaml);
        Assert.Empty(manifest.Tests);
        Put("lib/Demo.Plugin.dll");

        var problem = Assert.Single(ManifestFiles.FindMissing(manifest, Root));

        Assert.StartsWith("engine.model: ", problem, StringComparison.Ordinal);
        Assert.Contains("'model/model.onnx'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/model.onnx")]
    [InlineData("bin/Release/model.onnx")]
    [InlineData("obj/model.onnx")]
    [InlineData("sdk/model.onnx")]
    [InlineData(".models/model.onnx")]
    [InlineData("model/.model.onnx")]
    [InlineData("./src/model.onnx")]
    public void AFileThatPackagesLeaveOutIsReportedEvenWhenItIsInTheFolder(string path)
    {
        var manifest = Read(Template.Replace("__ENGINE__", OnnxEngine, StringComparison.Ordinal).Replace("model: model/model.onnx", $"model: {path}", StringComparison.Ordinal));
        Put(path);
        foreach (var (_, file) in TestFiles)
        {
            Put(file);
        }

        var problem = Assert.Single(ManifestFiles.FindMissing(manifest, Root));

        Assert.StartsWith("engine.model: ", problem, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", problem, StringComparison.Ordinal);
        Assert.Contains("left out", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model/src/model.onnx")]
    [InlineData("lib/bin/model.onnx")]
    public void AFileInANestedFolderNamedLikeAnExcludedOneIsFound(string path)
    {
        var manifest = Read(Template.Replace("__ENGINE__", OnnxEngine, StringComparison.Ordinal).Replace("model: model/model.onnx", $"model: {path}", StringComparison.Ordinal));
        Put(path);
        foreach (var (_, file) in TestFiles)
        {
            Put(file);
        }

        Assert.Empty(ManifestFiles.FindMissing(manifest, Root));
    }

    private static (PluginManifest Manifest, List<(string Where, string File)> Named) Manifest(string kind)
    {
        var (engine, engineFiles) = kind switch
        {
            "onnx" => (OnnxEngine, new[] { ("engine.model", "model/model.onnx") }),
            "managed" => (ManagedEngine, new[] { ("engine.model", "model/model.onnx"), ("engine.assembly", "lib/Demo.Plugin.dll") }),
            "native" => (NativeEngine, new[] { ("engine.library", "lib/libdemo.so") }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var manifest = Read(Template.Replace("__ENGINE__", engine, StringComparison.Ordinal));
        Assert.Equal(kind, manifest.Engine.Kind.ToString().ToLowerInvariant());
        return (manifest, [.. engineFiles, .. TestFiles]);
    }

    private static PluginManifest Read(string yaml)
    {
        var result = ManifestReader.Read(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return result.Manifest!;
    }

    private void Put(string relative)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
    }
}
