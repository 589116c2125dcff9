using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>The native (C ABI) and managed plugin kinds served from packages, end to end over HTTP.</summary>
[Collection(HostCollection.Name)]
public sealed class PluginKindsTests(HostFixture host)
{
    [Theory]
    [InlineData("textnative", "upper", ">HELLO")]
    [InlineData("textnative", "reverse", ">olleh")]
    public async Task TheNativeSamplePluginAnswers(string service, string mode, string expected)
    {
        var (status, body) = await Post($"/v1/engines/{service}", new Dictionary<string, object?> { ["mode"] = mode }, "hello");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, body.GetProperty("payload").GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheManagedPluginAnswersWithItsSettingsAndParameters()
    {
        var (status, body) = await Post("/v1/engines/echo", new Dictionary<string, object?> { ["suffix"] = "!" }, "hello");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hi HELLO!", body.GetProperty("payload").GetProperty("result").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("textnative", 20002, "SAMPLE_ERROR_EMPTY_TEXT")]
    [InlineData("echo", 10001, "ECHO_ERROR_EMPTY_TEXT")]
    public async Task PluginErrorsCarryTheirCodeDescriptionAndStrategy(string service, int code, string text)
    {
        var (status, body) = await Post($"/v1/engines/{service}", [], "");

        Assert.Equal((HttpStatusCode)422, status);
        var header = body.GetProperty("header");
        Assert.Equal(code, header.GetProperty("code").GetInt32());
        Assert.Contains(text, header.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("The text is empty", header.GetProperty("description").GetString());
        Assert.Equal("Send some text", header.GetProperty("strategy").GetString());
    }

    [Fact]
    public async Task ManifestChecksApplyToPluginsToo()
    {
        var (status, body) = await Post("/v1/engines/textnative", new Dictionary<string, object?> { ["mode"] = "sideways" }, "x");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(10402, body.GetProperty("header").GetProperty("code").GetInt32());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, Dictionary<string, object?> parameters, string text)
    {
        var request = new Dictionary<string, object?>
        {
            ["parameter"] = parameters,
            ["payload"] = new Dictionary<string, object?> { ["text"] = new { encoding = "utf8", text } },
        };
        using var response = await host.Client.PostAsJsonAsync(path, request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
