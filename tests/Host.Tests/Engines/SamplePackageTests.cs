using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Authoring;
using Inference.Packaging.Archive;
using Inference.Packaging.Manifest;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Engines;

/// <summary>
/// The sample packages shipped in samples/models: the ONNX-only one is exactly what the tool packs from
/// its source, and every one loads in the host and passes its own manifest test cases (run at load).
/// </summary>
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

    [Fact]
    public void TheShippedOnnxOnlyPackageIsWhatTheToolPacksFromItsSource()
    {
        var output = Directory.CreateTempSubdirectory("sample-pack-");
        try
        {
            var written = PackageWriter.Write(Path.Combine(Samples, "packages", "gain"), Path.Combine(output.FullName, "gain-1.0.0.tar.gz"));

            Assert.Equal(File.ReadAllBytes(Path.Combine(Samples, "models", "gain-1.0.0.tar.gz")), File.ReadAllBytes(written.PackagePath));
            Assert.Equal(Md5Digest.ReadSidecar(Path.Combine(Samples, "models", "gain-1.0.0.tar.gz")), written.Digest);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EveryShippedPackageLoadsAndPassesItsOwnTestCases()
    {
        var repository = Directory.CreateTempSubdirectory("sample-packages-");
        try
        {
            var packages = Directory.GetFiles(Path.Combine(Samples, "models"), "*.tar.gz");
            Assert.NotEmpty(packages);
            foreach (var package in packages)
            {
                File.Copy(package, Path.Combine(repository.FullName, Path.GetFileName(package)));
                File.Copy(package + ".md5", Path.Combine(repository.FullName, Path.GetFileName(package) + ".md5"));
            }

            await using (var host = await StartedHost.StartAsync("--repository", repository.FullName, "--http-port", "0", "--run-test-cases-on-load", "true"))
            {
                var entries = host.App.Services.GetRequiredService<Inference.Host.Engines.EngineRegistry>().All();

                Assert.Equal(packages.Select(Path.GetFileName).Order(StringComparer.Ordinal), entries.Select(e => e.Package).Order(StringComparer.Ordinal));
                Assert.All(entries, e => Assert.True(e.State == Inference.Host.Registry.ModelState.Ready, $"{e.Package}: {e.Reason}"));
                Assert.All(entries, e => Assert.NotEmpty(e.Engine!.Manifest.Tests));
            }
        }
        finally
        {
            repository.Delete(recursive: true);
        }
    }
}
