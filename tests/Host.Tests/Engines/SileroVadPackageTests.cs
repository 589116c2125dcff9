using Inference.Host.Tests.Infrastructure;
using Inference.Packaging.Archive;
using Inference.Packaging.Manifest;

namespace Inference.Host.Tests.Engines;

/// <summary>The Silero VAD package shipped in samples/models installs, holds its sources' files, and its build answers as the source's does.</summary>
public sealed class SileroVadPackageTests(SileroVadFixture source) : IClassFixture<SileroVadFixture>
{
    private static readonly string Package = Path.Combine(RepoPaths.Root, "samples", "models", "silero_vad-1.0.0.tar.gz");

    [Fact]
    public async Task TheShippedPackageInstallsAndAnswersAsTheSourceDoes()
    {
        var root = Directory.CreateTempSubdirectory("silero-package-");
        try
        {
            var installed = new PackageInstaller(root.FullName).Install(Package);

            var read = ManifestReader.ReadFile(installed.ManifestPath);
            Assert.True(read.IsValid, string.Join("\n", read.Problems));
            var manifest = read.Manifest!;
            Assert.Equal(("silero_vad", "1.0.0", InterfaceType.Streaming), (manifest.Service.Id, manifest.Service.Version.ToString(), manifest.Service.Interface));
            Assert.Equal(EngineKind.Managed, manifest.Engine.Kind);
            foreach (var file in new[] { "manifest.yaml", "model/silero_vad_16k_op15.onnx", "model/LICENSE", "tests/two_sentences.pcm" })
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(SileroVadFixture.PackageDirectory, file)), File.ReadAllBytes(Path.Combine(installed.Directory, file)));
            }

            Assert.False(Directory.Exists(Path.Combine(installed.Directory, "src")), "the sources went into the package");
            var (plugin, _) = await SileroVadFixture.LoadAsync(installed.Directory);
            try
            {
                // The committed build is not compared byte for byte (compilers differ); what it answers is.
                Assert.Equal(await source.DetectAsync(source.Speech), await SileroVadFixture.DetectAsync(plugin.Instance, source.Request(source.Speech)));
            }
            finally
            {
                await plugin.UnloadAsync();
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
