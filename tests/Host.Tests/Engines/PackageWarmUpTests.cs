using System.Net;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Authoring;

namespace Inference.Host.Tests.Engines;

/// <summary>At load the host runs each package's own test cases: a package whose tests fail does not serve.</summary>
public sealed class PackageWarmUpTests : IDisposable
{
    private readonly DirectoryInfo repository = Directory.CreateTempSubdirectory("warmup-repo-");

    public PackageWarmUpTests()
    {
        var three = new byte[12];
        Buffer.BlockCopy(new[] { 0.5f, -1f, 3f }, 0, three, 0, 12);
        WriteGain("good", """{ contains: "[1,-2,6]" }""", three);
        WriteGain("bad", """{ contains: "[7,7,7]" }""", three);
    }

    public void Dispose() => repository.Delete(recursive: true);

    [Fact]
    public async Task APackageWhoseTestCaseFailsIsUnavailableNamingTheTest()
    {
        await using var host = await StartAsync();

        var (good, _) = await PostAsync(host, "good");
        var (bad, message) = await PostAsync(host, "bad");

        Assert.Equal(HttpStatusCode.OK, good);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, bad);
        Assert.Contains("test case 'doubles' failed at load", message, StringComparison.Ordinal);
        Assert.Contains("[7,7,7]", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTestCasesOffAtLoadThePackageServes()
    {
        await using var host = await StartAsync("--run-test-cases-on-load", "false");

        var (bad, _) = await PostAsync(host, "bad");

        Assert.Equal(HttpStatusCode.OK, bad);
    }

    private Task<StartedHost> StartAsync(params string[] extra) =>
        StartedHost.StartAsync(["--repository", repository.FullName, "--http-port", "0", .. extra]);

    private void WriteGain(string service, string expectation, byte[] samples)
    {
        var manifest = TestPackages.GainManifest.Replace("id: gain", $"id: {service}", StringComparison.Ordinal)
            + $$"""

            tests:
              - name: doubles
                parameters: { gain: 2, channel: left }
                request: { audio: { file: tests/three.raw } }
                expect: { scaled: {{expectation}} }
            """;
        TestPackages.WritePackage(repository.FullName, $"{service}-1.0.0.tar.gz", manifest, [("model/model.onnx", SampleModels.Gain()), ("tests/three.raw", samples)]);
    }

    private static async Task<(HttpStatusCode Status, string Message)> PostAsync(StartedHost host, string service)
    {
        var body = """{"parameter":{"channel":"left"},"payload":{"audio":{"data":"AAAAPw=="}}}""";
        using var response = await host.Client.PostAsync($"/v1/engines/{service}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = json.RootElement.GetProperty("header").TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        return (response.StatusCode, message);
    }
}
