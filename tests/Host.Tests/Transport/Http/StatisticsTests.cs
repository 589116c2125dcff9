using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class StatisticsTests(HostFixture host)
{
    private readonly OipClient client = new(host.Client);

    [Fact]
    public async Task SuccessfulInfersAreCountedAndTimed()
    {
        const int n = 7;
        const int batch = 2;
        var before = await client.StatsAsync("simple");
        var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var a = Enumerable.Range(0, 16 * batch).Select(i => (float)i).ToArray();
        for (var i = 0; i < n; i++)
        {
            await client.InferAsync("simple", OipClient.SimpleRequest(a, a));
        }

        ModelStats after = before;
        Assert.True(await OipClient.EventuallyAsync(async () => (after = await client.StatsAsync("simple")).SuccessCount - before.SuccessCount >= n),
            $"success.count went from {before.SuccessCount} to {after.SuccessCount} after {n} infers");
        Assert.True(after.ExecutionCount - before.ExecutionCount >= n);
        Assert.True(after.InferenceCount - before.InferenceCount >= n * batch, $"inference_count rose by {after.InferenceCount - before.InferenceCount}, expected at least {n * batch} for {n} requests of batch {batch}");
        Assert.True(after.ComputeInferCount - before.ComputeInferCount >= n);
        Assert.True(after.ComputeInputCount - before.ComputeInputCount >= n);
        Assert.True(after.ComputeOutputCount - before.ComputeOutputCount >= n);
        Assert.True(after.ComputeInferNs > before.ComputeInferNs, "compute_infer.ns did not grow");
        Assert.True(after.ComputeInferNs > 0);
        Assert.True(after.SuccessNs - before.SuccessNs >= after.ComputeInferNs - before.ComputeInferNs, "the whole request took less time than its ORT run");
        Assert.Equal(before.FailCount, after.FailCount);
        Assert.InRange(after.LastInference, startMs - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
    }

    [Fact]
    public async Task FailingRequestsRaiseTheFailCount()
    {
        var before = await client.StatsAsync("simple");
        var bad = OipClient.SimpleRequest(new float[16], new float[16]);
        bad["inputs"]![0]!["datatype"] = "FP64";
        using (var response = await client.PostJsonAsync(OipClient.InferPath("simple"), bad))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var response = await client.PostJsonAsync(OipClient.InferPath("simple"), "{\"inputs\": [}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        ModelStats after = before;
        Assert.True(await OipClient.EventuallyAsync(async () => (after = await client.StatsAsync("simple")).FailCount - before.FailCount >= 2),
            $"fail.count went from {before.FailCount} to {after.FailCount} after 2 failing requests");
        Assert.True(after.FailNs > before.FailNs);
        Assert.Equal(before.SuccessCount, after.SuccessCount);
        Assert.Equal(before.ExecutionCount, after.ExecutionCount);
    }

    [Fact]
    public async Task RuntimeFailureRaisesTheFailCount()
    {
        var before = await client.StatsAsync("reshape_fails");
        var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [4], new JsonArray(1f, 2f, 3f, 4f)) } };
        using (var response = await client.PostJsonAsync(OipClient.InferPath("reshape_fails"), request))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        Assert.True(await OipClient.EventuallyAsync(async () => (await client.StatsAsync("reshape_fails")).FailCount == before.FailCount + 1));
    }

    [Fact]
    public async Task AllModelStatsListEveryLoadedModelVersion()
    {
        using var response = await host.Client.GetAsync("/v2/models/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entries = doc.RootElement.GetProperty("model_stats").EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString()!, Version: e.GetProperty("version").GetString()!)).ToList();

        string[] expected = ["simple", "mlp_classifier", "string_identity", "scalar_fp32", "reshape_fails", "flat", .. TensorCodec.DataTypes.Select(d => d.Model)];
        foreach (var name in expected)
        {
            Assert.Contains((name, "1"), entries);
        }

        Assert.Contains(("versioned", "1"), entries);
        Assert.Contains(("versioned", "2"), entries);
        Assert.DoesNotContain(entries, e => e.Name is "corrupt" or "badversion");
        Assert.Equal(entries.Count, entries.Distinct().Count());
        Assert.Equal(expected.Length + 2, entries.Count);
    }

    [Fact]
    public async Task ModelStatsWithoutVersionListItsVersions()
    {
        using var doc = JsonDocument.Parse(await host.Client.GetStringAsync("/v2/models/versioned/stats"));
        var versions = doc.RootElement.GetProperty("model_stats").EnumerateArray().Select(e => e.GetProperty("version").GetString()!).Order().ToArray();
        Assert.Equal(["1", "2"], versions);
        var first = doc.RootElement.GetProperty("model_stats")[0];
        foreach (var stage in new[] { "success", "fail", "queue", "compute_input", "compute_infer", "compute_output" })
        {
            var s = first.GetProperty("inference_stats").GetProperty(stage);
            Assert.True(s.GetProperty("count").GetInt64() >= 0);
            Assert.True(s.GetProperty("ns").GetInt64() >= 0);
        }

        Assert.Equal(JsonValueKind.Array, first.GetProperty("batch_stats").ValueKind);
    }

    [Theory]
    [InlineData("/v2/models/no_such_model/stats")]
    [InlineData("/v2/models/simple/versions/9/stats")]
    [InlineData("/v2/models/simple/versions/abc/stats")]
    public async Task StatsOfUnknownModelOrVersionIs404(string path)
    {
        using var response = await host.Client.GetAsync(path);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound);
    }
}
