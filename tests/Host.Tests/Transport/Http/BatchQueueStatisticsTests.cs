using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Authoring;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// Through the real host, a model whose one instance runs through an IoBinding
/// (<c>Instances:IoBinding=on</c>) and whose batcher holds a lone request for its max queue delay:
/// the answer is right, and the delay shows as <c>queue</c> (Triton's meaning), not as
/// <c>compute_infer</c>.
/// </summary>
public sealed class BatchQueueStatisticsTests : IAsyncLifetime
{
    private const string Model = "plus_one";
    private const long DelayMicroseconds = 300_000;

    private readonly string repository = Path.Combine(Path.GetTempPath(), "inference-queue-stats-tests-" + Guid.NewGuid().ToString("N"));
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
            $"--Models:{Model}:Batching:MaxQueueDelayMicroseconds", DelayMicroseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"--Models:{Model}:Instances:Count", "1",
            $"--Models:{Model}:Instances:IoBinding", "on");
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
    public async Task TheBatchersWaitIsQueueTimeAndComputeIsOnlyTheRun()
    {
        var before = await Client.StatsAsync(Model);
        float[] input = [1, 2, 3, 4, 5, 6, 7, 8];

        var answer = await Client.InferAsync(Model, new JsonObject
        {
            ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [2, 4], TensorCodec.ToJsonArray("FP32", input.Cast<object>())) },
        });

        Assert.Equal(input.Select(v => v + 1).ToArray(), answer.Output("OUT").Floats());
        ModelStats after = before;
        Assert.True(await OipClient.EventuallyAsync(async () => (after = await Client.StatsAsync(Model)).SuccessCount - before.SuccessCount >= 1), "the request was never counted");
        var queue = after.QueueNs - before.QueueNs;
        var infer = after.ComputeInferNs - before.ComputeInferNs;
        // The batch forms only once its lone request has waited the whole delay, so the queue holds at
        // least that; the tiny model's run is far shorter than the delay even on a loaded machine.
        Assert.True(queue >= DelayMicroseconds * 1000, $"queue is {queue} ns, under the {DelayMicroseconds} us the batcher held the request");
        Assert.True(infer < queue, $"compute_infer is {infer} ns, not less than the queue's {queue} ns: the wait was counted as compute");
        Assert.True(infer > 0, "compute_infer did not grow");
        Assert.True(after.SuccessNs - before.SuccessNs >= queue + infer, "the request took less than its queue and run");
    }
}
