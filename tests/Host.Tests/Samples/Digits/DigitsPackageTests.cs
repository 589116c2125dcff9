using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;
using Inference.Packaging.Archive;
using Inference.Packaging.Manifest;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// The committed digits-1.0.0.tar.gz: it installs with a valid manifest and the sample's files, and the
/// host serving samples/models (its default repository) answers with it over HTTP.
/// </summary>
public sealed class DigitsPackageTests
{
    private static readonly string[] PackagedFiles = ["manifest.yaml", "model/digits.onnx", "tests/seven.png", "tests/three_dark_on_light.png", "tests/zero_rgb.png"];

    [Fact]
    public void TheCommittedPackageInstallsWithAValidManifestAndTheSamplesFiles()
    {
        var root = Directory.CreateTempSubdirectory("digits-package-");
        try
        {
            var installed = new PackageInstaller(root.FullName).Install(DigitsPaths.CommittedPackage);

            var read = ManifestReader.ReadFile(installed.ManifestPath);
            Assert.True(read.IsValid, string.Join("\n", read.Problems));
            var manifest = read.Manifest!;
            Assert.Equal(("digits", "1.0.0", InterfaceType.OneShot, EngineKind.Managed), (manifest.Service.Id, manifest.Service.Version.ToString(), manifest.Service.Interface, manifest.Engine.Kind));
            Assert.True(File.Exists(Path.Combine(installed.Directory, manifest.Engine.Assembly!)), manifest.Engine.Assembly);
            foreach (var file in PackagedFiles)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(DigitsPaths.Package, file)), File.ReadAllBytes(Path.Combine(installed.Directory, file)));
            }

            // The sources, the training data and the host's own SDK stay out.
            Assert.False(Directory.Exists(Path.Combine(installed.Directory, "src")));
            Assert.Empty(Directory.GetFiles(installed.Directory, "Inference.Plugins.Sdk.dll", SearchOption.AllDirectories));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TheDefaultRepositoryServesTheCommittedPackageOverHttp()
    {
        var installRoot = Directory.CreateTempSubdirectory("digits-installed-");
        var host = await StartedHost.StartAsync("--repository", Path.Combine(DigitsPaths.Package, "..", "..", "models"), "--http-port", "0", "--Host:PackageInstallRoot", installRoot.FullName);
        try
        {
            var client = host.Client;
            var three = File.ReadAllBytes(Path.Combine(DigitsPaths.Package, "tests", "three_dark_on_light.png"));

            var (status, body) = await Post(client, three, new Dictionary<string, object?> { ["top_k"] = 2 });
            Assert.Equal(HttpStatusCode.OK, status);
            var result = body.GetProperty("payload").GetProperty("result");
            Assert.Equal("json", result.GetProperty("encoding").GetString());
            using var answer = JsonDocument.Parse(result.GetProperty("text").GetString()!);
            Assert.Equal(3, answer.RootElement.GetProperty("digit").GetInt32());
            Assert.Equal(2, answer.RootElement.GetProperty("top").GetArrayLength());

            // The plugin's refusal, explained by the manifest; and the host's own check of a parameter against it.
            var damaged = three.ToArray();
            damaged[45] ^= 0xFF;
            (status, body) = await Post(client, damaged, []);
            Assert.Equal((HttpStatusCode)422, status);
            var header = body.GetProperty("header");
            Assert.Equal(20003, header.GetProperty("code").GetInt32());
            Assert.Contains("DIGITS_ERROR_CRC", header.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("A PNG chunk fails its CRC check; the file is damaged", header.GetProperty("description").GetString());
            Assert.Equal("Resend the file, or encode it again", header.GetProperty("strategy").GetString());

            (status, body) = await Post(client, three, new Dictionary<string, object?> { ["top_k"] = 11 });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(10402, body.GetProperty("header").GetProperty("code").GetInt32());
        }
        finally
        {
            await host.DisposeAsync();
            installRoot.Delete(recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient client, byte[] png, Dictionary<string, object?> parameters)
    {
        var request = new Dictionary<string, object?>
        {
            ["header"] = new { request_id = "digits-1", status = 3 },
            ["parameter"] = parameters,
            ["payload"] = new Dictionary<string, object?> { ["image"] = new { encoding = "png", status = 3, data = Convert.ToBase64String(png) } },
        };
        using var response = await client.PostAsJsonAsync("/v1/engines/digits", request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
