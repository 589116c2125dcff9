using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>POST /v1/engines/{service}: ONNX-only plugin packages installed from the repository at start.</summary>
[Collection(HostCollection.Name)]
public sealed class EngineApiTests(HostFixture host)
{
    [Fact]
    public async Task APackagedOnnxPluginAnswersWithItsResponseSegments()
    {
        float[] samples = [0.5f, -1f, 3f];

        var (status, body) = await Post("/v1/engines/gain", Request(samples, gain: 2.0, expect: "json"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("header").GetProperty("code").GetInt32());
        Assert.Equal("r-1", body.GetProperty("header").GetProperty("request_id").GetString());
        var scaled = body.GetProperty("payload").GetProperty("scaled");
        Assert.Equal("json", scaled.GetProperty("encoding").GetString());
        using var tensor = JsonDocument.Parse(scaled.GetProperty("text").GetString()!);
        Assert.Equal(samples.Select(x => x * 2), tensor.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public async Task RawOutputsComeBackAsBase64AndDefaultsApply()
    {
        float[] samples = [1f, 2f];

        var (status, body) = await Post("/v1/engines/gain/versions/1.0.0", Request(samples, gain: null, expect: "raw"));

        Assert.Equal(HttpStatusCode.OK, status);
        var bytes = Convert.FromBase64String(body.GetProperty("payload").GetProperty("scaled").GetProperty("data").GetString()!);
        Assert.Equal(samples, MemoryMarshal.Cast<byte, float>(bytes).ToArray()); // gain defaults to 1
    }

    [Theory]
    [InlineData(11.0, "left", 10402, "'gain'")]
    [InlineData(1.0, "middle", 10402, "'channel'")]
    [InlineData(1.0, null, 10401, "'channel'")]
    public async Task ParametersAreCheckedAgainstTheManifest(double gain, string? channel, int code, string named)
    {
        var request = new Dictionary<string, object?>
        {
            ["parameter"] = channel is null ? new Dictionary<string, object?> { ["gain"] = gain } : new Dictionary<string, object?> { ["gain"] = gain, ["channel"] = channel },
            ["payload"] = new Dictionary<string, object?> { ["audio"] = new { encoding = "raw", data = Convert.ToBase64String(new byte[8]) } },
        };

        var (status, body) = await Post("/v1/engines/gain", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body.GetProperty("header").GetProperty("code").GetInt32());
        Assert.Contains(named, body.GetProperty("header").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AudioThatIsNotWholeSamplesIsRefused()
    {
        var request = new Dictionary<string, object?>
        {
            ["parameter"] = new Dictionary<string, object?> { ["channel"] = "left" },
            ["payload"] = new Dictionary<string, object?> { ["audio"] = new { encoding = "raw", data = Convert.ToBase64String(new byte[7]) } },
        };

        var (status, body) = await Post("/v1/engines/gain", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(10405, body.GetProperty("header").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task TheNewestVersionIsTheDefaultAndOthersArePickedByVersion()
    {
        var (status, _) = await Post("/v1/engines/gain/versions/1.1.0", Request([1f], 1.0, "json"));
        Assert.Equal(HttpStatusCode.OK, status);

        var (missing, body) = await Post("/v1/engines/gain/versions/2.0.0", Request([1f], 1.0, "json"));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("1.0.0, 1.1.0", body.GetProperty("header").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tampered", "MD5")]
    [InlineData("badmanifest", "invalid manifest")]
    public async Task BrokenPackagesAreUnavailableWithTheirReason(string service, string reason)
    {
        var (status, body) = await Post($"/v1/engines/{service}", Request([1f], 1.0, "json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(reason, body.GetProperty("header").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownEnginesAre404()
    {
        var (status, body) = await Post("/v1/engines/nothing", Request([1f], 1.0, "json"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("'nothing'", body.GetProperty("header").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Request(float[] samples, double? gain, string expect)
    {
        var parameters = new Dictionary<string, object?> { ["channel"] = "left", ["expect"] = new Dictionary<string, object?> { ["scaled"] = new { encoding = expect } } };
        if (gain is not null)
        {
            parameters["gain"] = gain;
        }

        return new Dictionary<string, object?>
        {
            ["header"] = new { request_id = "r-1", status = 3 },
            ["parameter"] = parameters,
            ["payload"] = new Dictionary<string, object?> { ["audio"] = new { encoding = "raw", status = 3, data = Convert.ToBase64String(MemoryMarshal.AsBytes(samples.AsSpan()).ToArray()) } },
        };
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, object request)
    {
        using var response = await host.Client.PostAsJsonAsync(path, request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
