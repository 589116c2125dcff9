using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Authoring;
using Inference.Packaging.Archive;
using Inference.Packaging.Manifest;

namespace Inference.Host.Tests.Engines;

/// <summary>The ONNX-only sample package shipped in samples/models is what the repo's code and manifest make, and installs.</summary>
public sealed class SamplePackageTests
{
    private static readonly string Samples = Path.Combine(RepoPaths.Root, "samples");

    [Fact]
    public void TheSampleModelIsWhatTheCodeWrites() =>
        Assert.Equal(SampleModels.Gain(), File.ReadAllBytes(Path.Combine(Samples, "packages", "gain", "model", "model.onnx")));

    [Fact]
    public void TheShippedPackageInstallsWithAValidManifestAndTheSameFiles()
    {
        var root = Directory.CreateTempSubdirectory("sample-package-");
        try
        {
            var installed = new PackageInstaller(root.FullName).Install(Path.Combine(Samples, "models", "gain-1.0.0.tar.gz"));

            var manifest = ManifestReader.ReadFile(installed.ManifestPath);
            Assert.True(manifest.IsValid, string.Join("\n", manifest.Problems));
            Assert.Equal("gain", manifest.Manifest!.Service.Id);
            Assert.Equal(EngineKind.Onnx, manifest.Manifest.Engine.Kind);
            foreach (var file in new[] { "manifest.yaml", "model/model.onnx", "tests/three_samples.raw" })
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(Samples, "packages", "gain", file)), File.ReadAllBytes(Path.Combine(installed.Directory, file)));
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
