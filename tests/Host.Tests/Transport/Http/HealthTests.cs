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
        using var response = await host.Client.GetAsync("/v2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("inference-host", doc.RootElement.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("version").GetString()));
        var extensions = doc.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("binary_tensor_data", extensions);
        Assert.Contains("model_repository_index", extensions);
        Assert.Contains("statistics", extensions);
        Assert.Equal(extensions.Count, extensions.Distinct().Count());
        var ort = doc.RootElement.GetProperty("onnxruntime");
        Assert.Equal("1.23.2", ort.GetProperty("version").GetString());
        Assert.Contains("CPUExecutionProvider", ort.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task UnknownRouteIs404()
    {
        using var response = await host.Client.GetAsync("/v2/no/such/route");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
