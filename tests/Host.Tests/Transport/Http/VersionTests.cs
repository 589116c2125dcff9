using System.Net;
using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class VersionTests(HostFixture host)
{
    private static readonly float[] Input = [1f, -2.5f, 100f, 0f];

    private readonly OipClient client = new(host.Client);

    [Fact]
    public async Task DefaultVersionIsTheNewest()
    {
        var result = await client.InferAsync("versioned", Request());
        Assert.Equal("versioned", result.ModelName);
        Assert.Equal("2", result.ModelVersion);
        Assert.Equal(Input.Select(v => v + 2f), result.Output("OUT").Floats());
    }

    [Theory]
    [InlineData("1", 1f)]
    [InlineData("2", 2f)]
    public async Task ExplicitVersionIsServed(string version, float added)
    {
        var result = await client.InferAsync("versioned", Request(), version);
        Assert.Equal(version, result.ModelVersion);
        Assert.Equal(Input.Select(v => v + added), result.Output("OUT").Floats());
    }

    [Fact]
    public async Task MissingVersionIs404NamingTheVersionsThatExist()
    {
        using var response = await client.PostJsonAsync(OipClient.InferPath("versioned", "3"), Request());
        var message = await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "versioned", "3");
        Assert.Contains("1", message.Replace("3", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("2", message, StringComparison.Ordinal);
        await client.AssertServesSimpleAsync();
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1.0")]
    public async Task NonVersionIs404(string version)
    {
        using var response = await client.PostJsonAsync(OipClient.InferPath("versioned", version), Request());
        await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "versioned", version);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task FlatModelIsServedAsVersionOne()
    {
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "INT32", [4], new JsonArray(1, -2, 0, int.MaxValue)) } };
        foreach (var version in new string?[] { null, "1" })
        {
            var result = await client.InferAsync("flat", request.DeepClone(), version);
            Assert.Equal("flat", result.ModelName);
            Assert.Equal("1", result.ModelVersion);
            Assert.Equal([-1, 2, 0, -int.MaxValue], result.Output("OUT").Values());
        }

        using var response = await client.PostJsonAsync(OipClient.InferPath("flat", "2"), request);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "flat");
    }

    [Fact]
    public async Task StatisticsAreKeptPerVersion()
    {
        var v1Before = await client.StatsAsync("versioned", "1");
        var v2Before = await client.StatsAsync("versioned", "2");
        await client.InferAsync("versioned", Request(), "1");
        await client.InferAsync("versioned", Request(), "1");
        await client.InferAsync("versioned", Request());

        Assert.True(await OipClient.EventuallyAsync(async () =>
            (await client.StatsAsync("versioned", "1")).SuccessCount - v1Before.SuccessCount == 2 &&
            (await client.StatsAsync("versioned", "2")).SuccessCount - v2Before.SuccessCount == 1));
    }

    private static JsonObject Request() => new()
    {
        ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [Input.Length], TensorCodec.ToJsonArray("FP32", Input.Cast<object>())) },
    };
}
