using System.Text.Json;
using static Inference.Host.Tests.Engines.EngineTestRequests;

namespace Inference.Host.Tests.Engines;

/// <summary>The package loader applies <c>Engines:{service}:Instances</c> / <c>Batching</c> at load; settings it cannot use make that package UNAVAILABLE, naming the key.</summary>
public sealed class PackageLoaderTests
{
    private const string Settings = """
        { "Engines": {
            "lanes": { "OptimalConcurrency": 8, "Instances": { "Count": 2 }, "Batching": { "MaxBatchSize": 4, "MaxQueueDelayMicroseconds": 2000000 } },
            "badlanes": { "Instances": { "Count": "many" } },
            "echo": { "Batching": { "MaxBatchSize": 4 } } } }
        """;

    [Fact]
    public async Task EngineSettingsThatCannotBeUsedMakeOnlyThatPackageUnavailableNamingTheKey()
    {
        await using var host = await LanesHost.StartAsync(Settings);

        var bad = await host.StatsOf("badlanes");
        var echo = await host.StatsOf("echo");
        var lanes = await host.StatsOf("lanes");

        Assert.Equal("UNAVAILABLE", bad.GetProperty("state").GetString());
        Assert.Equal("Engines:badlanes:Instances:Count is 'many'; it must be a whole number from 1 to 256", bad.GetProperty("reason").GetString());
        Assert.Equal("UNAVAILABLE", echo.GetProperty("state").GetString());
        Assert.StartsWith("Engines:echo:Batching:MaxBatchSize is 4 but EchoPlugin.Echo does not implement IBatchingPlugin", echo.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, echo.GetProperty("instances").ValueKind);
        Assert.Equal("READY", lanes.GetProperty("state").GetString());
        Assert.Equal(503, (await host.PostAsync("badlanes", "x")).Status);
    }

    [Fact]
    public async Task ConcurrentCallsAreBatchedOnTheConfiguredInstancesAndTheStatsSaySo()
    {
        await using var host = await LanesHost.StartAsync(Settings);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => host.PostAsync("lanes", $"r{i}"))).WaitAsync(Patience);

        Assert.All(results, r => Assert.Equal(200, r.Status));
        Assert.Equal(["R0", "R1", "R2", "R3"], results.Select(r => r.Text.Split('|')[0]));
        var stats = await host.StatsOf("lanes");
        var instances = stats.GetProperty("instances");
        Assert.Equal((2, 1), (instances.GetProperty("count").GetInt32(), instances.GetProperty("runs_per_instance").GetInt32()));
        var batching = stats.GetProperty("batching");
        // One instance call per batch, whatever its size.
        Assert.Equal(batching.GetProperty("batches").GetInt64(), instances.GetProperty("list").EnumerateArray().Sum(i => i.GetProperty("runs").GetInt64()));
        Assert.Equal(4, batching.GetProperty("max_batch_size").GetInt32());
        var sizes = batching.GetProperty("sizes").EnumerateArray().Select(s => (s.GetProperty("size").GetInt64(), s.GetProperty("count").GetInt64())).ToArray();
        Assert.Equal(4, sizes.Sum(s => s.Item1 * s.Item2)); // every request, in some batch
        Assert.Equal(sizes.Sum(s => s.Item2), batching.GetProperty("batches").GetInt64());
        Assert.True(batching.GetProperty("batches").GetInt64() < 4, "four concurrent calls within the 2 s delay were never merged");
    }
}
