using Inference.Host.Engines;
using Inference.Host.Scheduling;

namespace Inference.Host.Tests.Engines;

public sealed class EngineInstancePoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<string> shutDown = [];

    [Fact]
    public async Task CallsGoToTheLeastBusyInstanceAndExclusiveInstancesTakeOneEach()
    {
        await using var pool = await PoolAsync(3, runsPerInstance: 1);

        var taken = new[]
        {
            await pool.AcquireAsync(CancellationToken.None),
            await pool.AcquireAsync(CancellationToken.None),
            await pool.AcquireAsync(CancellationToken.None),
        };

        Assert.Equal([0, 1, 2], taken.Select(i => i.Id).Order());
        Assert.All(taken, i => Assert.Equal(1, i.Running));
        var fourth = pool.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(fourth.IsCompleted);
        Assert.Equal(1, pool.Waiting);

        pool.Release(taken[1]);
        Assert.Same(taken[1], await fourth.WaitAsync(Patience));
        Assert.Equal(2, taken[1].Runs);
        foreach (var instance in taken.Append(taken[1]))
        {
            pool.Release(instance);
        }
    }

    [Fact]
    public async Task SharedInstancesSpreadConcurrentCallsByFewestRunning()
    {
        await using var pool = await PoolAsync(2, runsPerInstance: ModelInstance.Unlimited);

        var a = await pool.AcquireAsync(CancellationToken.None);
        var b = await pool.AcquireAsync(CancellationToken.None);
        var c = await pool.AcquireAsync(CancellationToken.None);

        Assert.NotSame(a, b);
        Assert.Equal(new[] { 2, 1 }.Order(), pool.Instances.Select(i => i.Running).Order());
        pool.Release(a);
        pool.Release(b);
        pool.Release(c);
        Assert.All(pool.Instances, i => Assert.Equal(0, i.Running));
    }

    [Fact]
    public async Task WaitersAreServedInArrivalOrderAndACancelledOneLeavesTheLine()
    {
        await using var pool = await PoolAsync(1, runsPerInstance: 1);
        var held = await pool.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var leaving = pool.AcquireAsync(cancel.Token).AsTask();
        var first = pool.AcquireAsync(CancellationToken.None).AsTask();
        var second = pool.AcquireAsync(CancellationToken.None).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Patience));
        Assert.Equal(2, pool.Waiting);
        pool.Release(held);
        var got = await first.WaitAsync(Patience);
        Assert.False(second.IsCompleted);
        pool.Release(got);
        pool.Release(await second.WaitAsync(Patience));
        Assert.Equal(0, pool.Waiting);
    }

    [Fact]
    public async Task AnAddedInstanceServesAWaitingCallAtOnceOnTheLeastUsedDevice()
    {
        await using var pool = await PoolAsync(1, runsPerInstance: 1, devices: [InstanceDevice.Cpu, InstanceDevice.Cuda(1)]);
        var held = await pool.AcquireAsync(CancellationToken.None);
        var waiting = pool.AcquireAsync(CancellationToken.None).AsTask();

        await pool.SetCountAsync(2, CancellationToken.None);

        var added = await waiting.WaitAsync(Patience);
        Assert.Equal(1, added.Id);
        Assert.Equal(InstanceDevice.Cuda(1), added.Device);
        Assert.Equal("lane 1 on cuda:1", added.Value.Name);
        pool.Release(added);
        pool.Release(held);
    }

    [Fact]
    public async Task ARemovedInstanceFinishesItsCallsBeforeItIsShutDown()
    {
        await using var pool = await PoolAsync(2, runsPerInstance: 1);
        var first = await pool.AcquireAsync(CancellationToken.None);
        var newest = await pool.AcquireAsync(CancellationToken.None);
        Assert.Equal(1, newest.Id);

        var removing = pool.SetCountAsync(1, CancellationToken.None);

        // Out of the rotation at once, but not shut down while its call runs.
        await WaitUntil(() => pool.Count == 1);
        Assert.True(newest.IsRetired);
        Assert.False(removing.IsCompleted);
        Assert.Empty(ShutDown());
        pool.Release(newest);
        await removing.WaitAsync(Patience);
        Assert.Equal(["lane 1 on cpu"], ShutDown());
        Assert.Same(first, Assert.Single(pool.Instances));
        pool.Release(first);
    }

    [Fact]
    public async Task TheLastInstanceCannotBeRemovedAndACountBelowOneIsRefused()
    {
        await using var pool = await PoolAsync(1, runsPerInstance: 1);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pool.SetCountAsync(0, CancellationToken.None));
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public async Task DisposingFailsTheWaitersAndShutsEveryInstanceDown()
    {
        var pool = await PoolAsync(2, runsPerInstance: 1);
        var a = await pool.AcquireAsync(CancellationToken.None);
        var b = await pool.AcquireAsync(CancellationToken.None);
        var waiting = pool.AcquireAsync(CancellationToken.None).AsTask();

        await pool.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.AcquireAsync(CancellationToken.None).AsTask());
        Assert.Equal(["lane 0 on cpu", "lane 1 on cpu"], ShutDown().Order());
        pool.Release(a);
        pool.Release(b);
    }

    [Fact]
    public async Task AnInstanceThatFailsToInitialiseLeavesTheCountAsItWas()
    {
        var failNext = false;
        await using var pool = new EngineInstancePool<Lane>(
            [InstanceDevice.Cpu],
            1,
            (id, device, _) => failNext ? ValueTask.FromException<Lane>(new InvalidOperationException("init failed")) : ValueTask.FromResult(new Lane($"lane {id} on {device}")),
            ShutDownAsync);
        await pool.SetCountAsync(1, CancellationToken.None);
        failNext = true;

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.SetCountAsync(2, CancellationToken.None));

        Assert.Equal("init failed", e.Message);
        Assert.Equal(1, pool.Count);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private async Task<EngineInstancePool<Lane>> PoolAsync(int count, int runsPerInstance, InstanceDevice[]? devices = null)
    {
        var pool = new EngineInstancePool<Lane>(
            devices ?? [InstanceDevice.Cpu],
            runsPerInstance,
            (id, device, _) => ValueTask.FromResult(new Lane($"lane {id} on {device}")),
            ShutDownAsync);
        await pool.SetCountAsync(count, CancellationToken.None);
        return pool;
    }

    private ValueTask ShutDownAsync(EngineInstance<Lane> instance)
    {
        lock (shutDown)
        {
            shutDown.Add(instance.Value.Name);
        }

        return ValueTask.CompletedTask;
    }

    private string[] ShutDown()
    {
        lock (shutDown)
        {
            return [.. shutDown];
        }
    }

    private sealed record Lane(string Name);
}
