using System.Net;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class HealthTests(HostFixture host)
{
    [Fact]
    public async Task LiveAndReadyAnswer200()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);
    }

    [Fact]
    public async Task ServerMetadataNamesExtensionsAndOrtVersion()
    {
        using var doc = JsonDocument.Parse(await host.Client.GetStringAsync("/v2"));
        Assert.Equal("inference-host", doc.RootElement.GetProperty("name").GetString());
        var extensions = doc.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("binary_tensor_data", extensions);
        Assert.Equal("1.23.2", doc.RootElement.GetProperty("onnxruntime").GetProperty("version").GetString());
    }
}
