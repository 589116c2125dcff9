using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// Dynamic batching and instances through the real host: a model configured with
/// <c>Models:{name}:Batching</c> and <c>Instances</c> on the command line answers concurrent
/// requests in fewer ORT runs than requests, each with its own rows.
/// </summary>
public sealed class BatchingTests : IAsyncLifetime
{
    private const string Model = "plus_one";

    private readonly string repository = Path.Combine(Path.GetTempPath(), "inference-batching-tests-" + Guid.NewGuid().ToString("N"));
    private StartedHost? host;

    private OipClient Client => new(host!.Client);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(repository, Model, "1"));
        File.WriteAllBytes(Path.Combine(repository, Model, "1", "model.onnx"), new OnnxGraphBuilder(Model)
            .Input("IN", TensorElementType.Float, "batch", 4)
            .Initializer("one", TensorElementType.Float, [1], new[] { 1f })
            .Output("OUT", TensorElementType.Float, "batch", 4)
            .Node("Add", ["IN", "one"], ["OUT"])
            .Build());
        host = await StartedHost.StartAsync(
            "--repository", repository,
            "--http-port", "0",
            $"--Models:{Model}:Batching:MaxBatchSize", "8",
            $"--Models:{Model}:Batching:PreferredBatchSizes:0", "8",
            $"--Models:{Model}:Batching:MaxQueueDelayMicroseconds", "2000000",
            $"--Models:{Model}:Instances:Count", "2");
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        try
        {
            Directory.Delete(repository, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind harms nothing.
        }
    }

    [Fact]
    public async Task ConcurrentRequestsAreMergedAndEachGetsItsOwnRows()
    {
        int[] rows = [1, 2, 1, 1, 2, 1];
        var inputs = rows.Select((r, i) => Enumerable.Range(0, r * 4).Select(k => (float)((i * 100) + k)).ToArray()).ToArray();

        var answers = await Task.WhenAll(inputs.Select((input, i) => Client.InferAsync(Model, new JsonObject
        {
            ["id"] = i.ToString(CultureInfo.InvariantCulture),
            ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [rows[i], 4], TensorCodec.ToJsonArray("FP32", input.Cast<object>())) },
        })));

        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), answers[i].Id);
            var output = answers[i].Output("OUT");
            Assert.Equal(new long[] { rows[i], 4 }, output.Shape);
            Assert.Equal(inputs[i].Select(v => v + 1).ToArray(), output.Floats());
        }

        var stats = await Client.StatsAsync(Model);
        Assert.Equal(rows.Sum(), stats.InferenceCount);
        Assert.Equal(rows.Length, stats.SuccessCount);
        Assert.True(stats.ExecutionCount < rows.Length, $"{rows.Length} requests took {stats.ExecutionCount} runs: none were merged");

        using var doc = JsonDocument.Parse(await host!.Client.GetStringAsync($"/v2/models/{Model}/stats"));
        var entry = doc.RootElement.GetProperty("model_stats")[0];
        var batches = entry.GetProperty("batch_stats").EnumerateArray().ToArray();
        Assert.Contains(batches, b => b.GetProperty("batch_size").GetInt64() > 2);
        Assert.Equal(stats.ExecutionCount, batches.Sum(b => b.GetProperty("compute_infer").GetProperty("count").GetInt64()));
        Assert.Equal(rows.Sum(), batches.Sum(b => b.GetProperty("batch_size").GetInt64() * b.GetProperty("compute_infer").GetProperty("count").GetInt64()));
        var instances = entry.GetProperty("instances");
        Assert.Equal(2, instances.GetProperty("count").GetInt32());
        Assert.Equal(0, instances.GetProperty("batch_queue").GetInt32());
    }
}
