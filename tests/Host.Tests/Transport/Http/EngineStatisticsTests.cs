using System.Text.Json;
using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Registry;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Infrastructure;
using Inference.Host.Transport.Http;
using Inference.Packaging.Manifest;
using static Inference.Host.Tests.Engines.EngineTestRequests;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>/v1/engines/stats: each engine's instances and batching beside its admission counters.</summary>
public sealed class EngineStatisticsTests : IAsyncDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("engine-stats-");
    private IEngine? engine;

    public async ValueTask DisposeAsync()
    {
        if (engine is not null)
        {
            await engine.DisposeAsync();
        }

        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task InstancesAndBatchesAreListedAndAnUnavailableEngineHasNeither()
    {
        TestPackages.Unpack(directory.FullName, TestPackages.LanesManifest, "LanesPlugin");
        var manifest = ManifestReader.ReadFile(Path.Combine(directory.FullName, "manifest.yaml")).Manifest!;
        var scheduling = Settings("lanes", ("Instances:Count", "2"), ("Batching:MaxBatchSize", "3"), ("Batching:MaxQueueDelayMicroseconds", "1000"), ("Batching:PreferredBatchSizes", "3"));
        var time = new ManualTimeProvider();
        engine = await new EngineFactory(OrtTestEnvironment.Instance, new OnnxRuntimeOptions(), time).CreateAsync(manifest, directory.FullName, scheduling, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => engine.ExecuteAsync(Lanes($"r{i}"), CancellationToken.None).AsTask())).WaitAsync(Patience);
        var two = Enumerable.Range(0, 2).Select(i => engine.ExecuteAsync(Lanes($"s{i}"), CancellationToken.None).AsTask()).ToArray();
        await AdvanceUntil(time, Task.WhenAll(two), TimeSpan.FromMilliseconds(1)); // short of full: they run once the delay is up

        var stats = JsonSerializer.SerializeToElement(
            EngineStatistics.Of([
                new EngineVersionEntry("lanes", manifest.Service.Version, ModelState.Ready, null, engine, "lanes-1.0.0.tar.gz"),
                new EngineVersionEntry("broken", manifest.Service.Version, ModelState.Unavailable, "a reason", null, "broken-1.0.0.tar.gz"),
            ]),
            EngineStatistics.JsonOptions).GetProperty("engines");

        var lanes = stats[0];
        var instances = lanes.GetProperty("instances");
        Assert.Equal((2, 1, 0), (instances.GetProperty("count").GetInt32(), instances.GetProperty("runs_per_instance").GetInt32(), instances.GetProperty("waiting").GetInt32()));
        Assert.Equal(["0 cpu", "1 cpu"], instances.GetProperty("list").EnumerateArray().Select(i => $"{i.GetProperty("id").GetInt32()} {i.GetProperty("device").GetString()}"));
        var batching = lanes.GetProperty("batching");
        Assert.Equal((3, 1000L, 3), (batching.GetProperty("max_batch_size").GetInt32(), batching.GetProperty("max_queue_delay_us").GetInt64(), batching.GetProperty("preferred_batch_sizes")[0].GetInt32()));
        Assert.Equal((2L, 2.5, 0), (batching.GetProperty("batches").GetInt64(), batching.GetProperty("average_size").GetDouble(), batching.GetProperty("queued").GetInt32()));
        Assert.Equal(["2x1", "3x1"], batching.GetProperty("sizes").EnumerateArray().Select(s => $"{s.GetProperty("size").GetInt64()}x{s.GetProperty("count").GetInt64()}"));
        Assert.Equal(JsonValueKind.Null, stats[1].GetProperty("instances").ValueKind);
        Assert.Equal(JsonValueKind.Null, stats[1].GetProperty("batching").ValueKind);
    }
}
