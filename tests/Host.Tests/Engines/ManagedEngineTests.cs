using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Infrastructure;
using Inference.Packaging.Manifest;
using static Inference.Host.Tests.Engines.EngineTestRequests;

namespace Inference.Host.Tests.Engines;

/// <summary>Managed engines with several instances and with batching, on the LanesPlugin test plugin loaded as the host loads it.</summary>
public sealed class ManagedEngineTests : IAsyncDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("managed-engine-");
    private readonly List<IEngine> engines = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in engines)
        {
            await engine.DisposeAsync();
        }

        root.Delete(recursive: true);
    }

    [Fact]
    public async Task WithoutSettingsOneInstanceTakesConcurrentCallsAsBefore()
    {
        var engine = await LanesAsync(ModelSchedulingOptions.Default);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => engine.ExecuteAsync(Lanes($"r{i}", hold: 3), CancellationToken.None).AsTask())).WaitAsync(Patience);

        Assert.All(results, r => Assert.Equal(("0", "cpu", "0"), (Fields(r)["instance"], Fields(r)["device"], Fields(r)["batch"])));
        var snapshot = engine.Snapshot();
        Assert.Equal(1, engine.InstanceCount);
        Assert.Null(snapshot.RunsPerInstance);
        Assert.Null(snapshot.Batching);
        Assert.Equal(3, Assert.Single(snapshot.Instances).Runs);
    }

    [Fact]
    public async Task InstancesAreSeparatePluginObjectsThatConcurrentCallsSpreadAcross()
    {
        var engine = await LanesAsync(Settings("lanes", ("Instances:Count", "3")));

        // Each call waits until all three are inside the plugin: with one call per instance, only three instances can get there.
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => engine.ExecuteAsync(Lanes($"r{i}", hold: 3), CancellationToken.None).AsTask())).WaitAsync(Patience);

        Assert.Equal(["0", "1", "2"], results.Select(r => Fields(r)["instance"]).Order());
        Assert.Equal(["R0", "R1", "R2"], results.Select(r => Fields(r)["text"]));
        var snapshot = engine.Snapshot();
        Assert.Equal(1, snapshot.RunsPerInstance);
        Assert.All(snapshot.Instances, i => Assert.Equal((1, 0), (i.Runs, i.Running)));
    }

    [Fact]
    public async Task EachInstanceIsInitialisedWithItsNumberAndDeviceFilledInTurn()
    {
        var engine = await LanesAsync(Settings("lanes", ("Instances:Count", "3"), ("Instances:Devices", "cpu,cuda:1")));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => engine.ExecuteAsync(Lanes($"r{i}", hold: 3), CancellationToken.None).AsTask())).WaitAsync(Patience);

        Assert.Equal(["0 cpu", "1 cuda:1", "2 cpu"], results.Select(r => $"{Fields(r)["instance"]} {Fields(r)["device"]}").Order());
        Assert.Equal(["cpu", "cuda:1", "cpu"], engine.Snapshot().Instances.Select(i => i.Device));
    }

    [Fact]
    public async Task AnInstanceRemovedWhileItServesFinishesItsCallBeforeItIsShutDown()
    {
        var engine = await LanesAsync(Settings("lanes", ("Instances:Count", "2")));
        var running = new[]
        {
            engine.ExecuteAsync(Lanes("a", hold: 2, delayMs: 1000), CancellationToken.None).AsTask(),
            engine.ExecuteAsync(Lanes("b", hold: 2, delayMs: 1000), CancellationToken.None).AsTask(),
        };
        await WaitUntil(() => engine.Snapshot().Instances.All(i => i.Running == 1));

        var removing = engine.SetInstanceCountAsync(1, CancellationToken.None);
        await WaitUntil(() => engine.InstanceCount == 1);
        Assert.False(removing.IsCompleted && !running.All(r => r.IsCompleted), "the removal ended while its instance still had a call");

        var results = await Task.WhenAll(running).WaitAsync(Patience);
        await removing.WaitAsync(Patience);
        Assert.Equal(["A", "B"], results.Select(r => Fields(r)["text"]));
        // The removed instance (1) answered before its shutdown. The kept one's call may end after that
        // shutdown (the counter is the plugin's, shared by its instances), so only the removed one is checked.
        var removed = results.Single(r => Fields(r)["instance"] == "1");
        Assert.Equal("0", Fields(removed)["shutdowns"]);
        var after = Fields(await engine.ExecuteAsync(Lanes("c"), CancellationToken.None));
        Assert.Equal(("0", "1"), (after["instance"], after["shutdowns"]));
    }

    [Fact]
    public async Task AddingAndRemovingInstancesUnderLoadLosesNoRequest()
    {
        var engine = await LanesAsync(Settings("lanes", ("Instances:Count", "1")));

        var requests = Enumerable.Range(0, 40).Select(async i =>
        {
            await Task.Delay(i * 5);
            return await engine.ExecuteAsync(Lanes($"r{i}", delayMs: 20), CancellationToken.None);
        }).ToArray();
        foreach (var count in new[] { 3, 1, 4, 2 })
        {
            await engine.SetInstanceCountAsync(count, CancellationToken.None).WaitAsync(Patience);
            await Task.Delay(40);
        }

        var results = await Task.WhenAll(requests).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"R{i}"), results.Select(r => Fields(r)["text"]));
        Assert.Equal(2, engine.InstanceCount);
        Assert.Equal([0, 3], engine.Snapshot().Instances.Select(i => i.Id)); // 1, 2 added then removed (newest first), 3-5 added, 5 and 4 removed
    }

    [Fact]
    public async Task ABatchingPluginGetsConcurrentRequestsInOneCallAndEachCallerItsOwnResultInOrder()
    {
        var engine = await LanesAsync(Settings("lanes", ("Batching:MaxBatchSize", "4"), ("Batching:MaxQueueDelayMicroseconds", "10000000")));

        var calls = Enumerable.Range(0, 4).Select(i => engine.ExecuteAsync(Lanes($"r{i}"), CancellationToken.None).AsTask()).ToArray();
        var results = (await Task.WhenAll(calls).WaitAsync(Patience)).Select(Fields).ToArray();

        Assert.Equal(["R0", "R1", "R2", "R3"], results.Select(r => r["text"]));
        Assert.Equal(["0", "1", "2", "3"], results.Select(r => r["index"]));
        Assert.All(results, r => Assert.Equal(("1", "4"), (r["batch"], r["size"])));
        var batching = engine.Snapshot().Batching!;
        Assert.Equal((1, 4.0, 0), (batching.Batches, batching.AverageSize, batching.Queued));
    }

    [Fact]
    public async Task AFailingBatchFailsEachOfItsRequestsWithThePluginsCode()
    {
        var engine = await LanesAsync(Settings("lanes", ("Batching:MaxBatchSize", "3"), ("Batching:MaxQueueDelayMicroseconds", "10000000")));

        var calls = new[] { Lanes("a"), Lanes("b", fail: true), Lanes("c") }.Select(r => engine.ExecuteAsync(r, CancellationToken.None).AsTask()).ToArray();

        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<EnginePluginException>(() => call.WaitAsync(Patience));
            Assert.Equal(20001, e.Code);
            Assert.Equal("LANES_ERROR_ASKED: a request asked to fail", e.Message);
        }
    }

    [Fact]
    public async Task ACancelledRequestLeavesItsBatchAndTheOthersStillGetTheirResults()
    {
        var engine = await LanesAsync(Settings("lanes", ("Batching:MaxBatchSize", "3"), ("Batching:MaxQueueDelayMicroseconds", "10000000")));
        using var leaving = new CancellationTokenSource();

        var first = engine.ExecuteAsync(Lanes("a", delayMs: 2000), CancellationToken.None).AsTask();
        var cancelled = engine.ExecuteAsync(Lanes("b", delayMs: 2000), leaving.Token).AsTask();
        var last = engine.ExecuteAsync(Lanes("c", delayMs: 2000), CancellationToken.None).AsTask();
        await WaitUntil(() => engine.Snapshot().Instances[0].Running == 1);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        var (a, c) = (Fields(await first.WaitAsync(Patience)), Fields(await last.WaitAsync(Patience)));
        Assert.Equal(("A", "0", "3"), (a["text"], a["index"], a["size"]));
        Assert.Equal(("C", "2", "3"), (c["text"], c["index"], c["size"]));
    }

    [Fact]
    public async Task BatchingAPluginThatDoesNotImplementTheInterfaceIsRefusedNamingTheKey()
    {
        var directory = root.CreateSubdirectory("echo").FullName;
        TestPackages.Unpack(directory, TestPackages.ManagedManifest, "EchoPlugin");

        var e = await Assert.ThrowsAsync<SchedulingConfigurationException>(() =>
            Factory().CreateAsync(Manifest(directory), directory, Settings("echo", ("Batching:MaxBatchSize", "8")), CancellationToken.None));

        Assert.Equal(
            "Engines:echo:Batching:MaxBatchSize is 8 but EchoPlugin.Echo does not implement IBatchingPlugin, so its requests cannot be batched (remove Engines:echo:Batching, or implement the interface)",
            e.Message);
    }

    private static EngineFactory Factory() => new(OrtTestEnvironment.Instance, new OnnxRuntimeOptions());

    private static PluginManifest Manifest(string directory)
    {
        var read = ManifestReader.ReadFile(Path.Combine(directory, "manifest.yaml"));
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        return read.Manifest!;
    }

    private async Task<IEngine> LanesAsync(ModelSchedulingOptions scheduling)
    {
        var directory = root.CreateSubdirectory("lanes-" + engines.Count).FullName;
        TestPackages.Unpack(directory, TestPackages.LanesManifest, "LanesPlugin");
        var engine = await Factory().CreateAsync(Manifest(directory), directory, scheduling, CancellationToken.None);
        engines.Add(engine);
        return engine;
    }
}
