using System.Net;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Authoring;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

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

        var (good, _) = await host.PostAsync("good");
        var (bad, message) = await host.PostAsync("bad");

        Assert.Equal(HttpStatusCode.OK, good);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, bad);
        Assert.Contains("test case 'doubles' failed at load", message, StringComparison.Ordinal);
        Assert.Contains("[7,7,7]", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTestCasesOffAtLoadThePackageServes()
    {
        await using var host = await StartAsync("--run-test-cases-on-load", "false");

        var (bad, _) = await host.PostAsync("bad");

        Assert.Equal(HttpStatusCode.OK, bad);
    }

    private async Task<RunningHost> StartAsync(params string[] extra)
    {
        var app = HostApp.Build(["--repository", repository.FullName, "--http-port", "0", .. extra]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

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

    private sealed class RunningHost(Microsoft.AspNetCore.Builder.WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public async Task<(HttpStatusCode Status, string Message)> PostAsync(string service)
        {
            var body = """{"parameter":{"channel":"left"},"payload":{"audio":{"data":"AAAAPw=="}}}""";
            using var response = await client.PostAsync($"/v1/engines/{service}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var message = json.RootElement.GetProperty("header").TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            return (response.StatusCode, message);
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
