using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

public sealed class InstancePoolTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly byte[] Model = SchedulingModels.Identity(TensorElementType.Float);

    private readonly InstanceFactory factory = new(
        o => InferenceSession.Create(OrtTestEnvironment.Instance, Model, o),
        new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 },
        InstanceOptions.Default);

    private readonly List<InstancePool> pools = [];

    public void Dispose()
    {
        foreach (var pool in pools)
        {
            pool.Dispose();
        }
    }

    [Fact]
    public void ExclusiveInstancesTakeOneRunEachAndCountWhatIsBusy()
    {
        var pool = Exclusive(2);

        Assert.True(pool.TryAcquire(out var first));
        Assert.True(pool.TryAcquire(out var second));
        Assert.NotSame(first, second);
        Assert.False(pool.TryAcquire(out _));
        Assert.Equal((2, 2, 2), (pool.Count, pool.Busy, pool.Running));

        pool.Release(first);

        Assert.Equal((1, 1), (pool.Busy, pool.Running));
        Assert.True(pool.TryAcquire(out var again));
        Assert.Same(first, again);
        Assert.Equal(2, first.Runs);
        pool.Release(again);
        pool.Release(second);
        Assert.Equal(0, pool.Busy);
    }

    [Fact]
    public async Task WaitersGetFreedInstancesInArrivalOrder()
    {
        var pool = Exclusive(1);
        Assert.True(pool.TryAcquire(out var held));

        var first = pool.AcquireAsync(CancellationToken.None).AsTask();
        var second = pool.AcquireAsync(CancellationToken.None).AsTask();
        Assert.Equal(2, pool.Waiting);
        Assert.False(first.IsCompleted);
        Assert.False(pool.TryAcquire(out _));

        pool.Release(held);
        var got = await first.WaitAsync(Patience);
        Assert.False(second.IsCompleted);
        pool.Release(got);

        pool.Release(await second.WaitAsync(Patience));
        Assert.Equal(0, pool.Waiting);
    }

    [Fact]
    public async Task AWaiterWhoseTokenFiresLeavesTheLine()
    {
        var pool = Exclusive(1);
        Assert.True(pool.TryAcquire(out var held));
        using var cancel = new CancellationTokenSource();

        var leaving = pool.AcquireAsync(cancel.Token).AsTask();
        var staying = pool.AcquireAsync(CancellationToken.None).AsTask();
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Patience));
        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.Equal(1, pool.Waiting);
        pool.Release(held);
        pool.Release(await staying.WaitAsync(Patience));
    }

    [Fact]
    public async Task AnAddedInstanceGoesToAWaiterAtOnce()
    {
        var pool = Exclusive(1);
        Assert.True(pool.TryAcquire(out var held));
        var waiting = pool.AcquireAsync(CancellationToken.None).AsTask();

        var added = factory.CreateNext(pool.Instances);
        pool.Add(added);

        Assert.Same(added, await waiting.WaitAsync(Patience));
        Assert.Equal(2, pool.Count);
        Assert.Equal(1, added.Id);
        pool.Release(added);
        pool.Release(held);
    }

    [Fact]
    public async Task ARemovedInstanceFinishesItsRunBeforeItsSessionCloses()
    {
        var pool = Exclusive(2);
        var victim = pool.Instances[1];
        Assert.True(pool.TryAcquire(out var first));
        Assert.True(pool.TryAcquire(out var running));
        Assert.Same(victim, running);

        var removal = pool.RemoveAsync(victim);

        Assert.False(removal.IsCompleted);
        Assert.True(victim.IsRetired);
        Assert.Equal(1, pool.Count);
        Assert.DoesNotContain(victim, pool.Instances);
        RunOn(victim.Session); // still usable by the run in progress
        pool.Release(first);
        Assert.True(pool.TryAcquire(out var next));
        Assert.Same(first, next);
        pool.Release(next);

        pool.Release(running);
        await removal.WaitAsync(Patience);

        Assert.Throws<ObjectDisposedException>(() => RunOn(victim.Session));
        Assert.Equal(0, pool.Running);
    }

    [Fact]
    public async Task AnIdleInstanceIsRemovedAtOnce()
    {
        var pool = Exclusive(2);
        var victim = pool.Instances[1];

        await pool.RemoveAsync(victim).WaitAsync(Patience);

        Assert.Throws<ObjectDisposedException>(() => RunOn(victim.Session));
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public async Task TheLastInstanceCannotBeRemoved()
    {
        var pool = Exclusive(1);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RemoveAsync(pool.Primary));

        Assert.Contains("last instance", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, pool.Count);
        RunOn(pool.Primary.Session);
    }

    [Fact]
    public async Task ThePrimaryLeavesTheRotationButKeepsItsSessionUntilThePoolGoes()
    {
        var pool = Exclusive(2);
        var primary = pool.Primary;

        await pool.RemoveAsync(primary);

        Assert.DoesNotContain(primary, pool.Instances);
        RunOn(primary.Session);
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => RunOn(primary.Session));
    }

    [Fact]
    public async Task SetCountAddsAndRemovesTheNewestFirst()
    {
        var pool = Exclusive(1);

        await pool.SetCountAsync(3);
        var grown = pool.Instances.ToArray();
        await pool.SetCountAsync(2);

        Assert.Equal(3, grown.Length);
        Assert.Equal(new[] { 0, 1, 2 }, grown.Select(i => i.Id));
        Assert.Equal(grown[..2], pool.Instances);
        Assert.Throws<ObjectDisposedException>(() => RunOn(grown[2].Session));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pool.SetCountAsync(0));
    }

    [Fact]
    public async Task APoolWithoutAFactoryCannotChangeItsCount()
    {
        using var pool = InstancePool.Shared(OrtTestEnvironment.CreateSession(Model));

        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.SetCountAsync(2));
        Assert.Equal(ModelInstance.Unlimited, pool.RunsPerInstance);
    }

    [Fact]
    public async Task DisposingFailsTheWaiters()
    {
        var pool = Exclusive(1);
        Assert.True(pool.TryAcquire(out _));
        var waiting = pool.AcquireAsync(CancellationToken.None).AsTask();

        pool.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(Patience));
    }

    [Fact]
    public void UnlimitedInstancesSpreadRunsOverTheLeastBusy()
    {
        var pool = Track(new InstancePool([factory.CreateNext([]), factory.CreateNext([])], ModelInstance.Unlimited, factory));

        var taken = Enumerable.Range(0, 6).Select(_ => pool.TryAcquire(out var i) ? i : throw new InvalidOperationException()).ToArray();

        Assert.Equal(3, pool.Instances[0].Running);
        Assert.Equal(3, pool.Instances[1].Running);
        Assert.Equal(2, pool.Busy);
        foreach (var instance in taken)
        {
            pool.Release(instance);
        }
    }

    private static void RunOn(InferenceSession session)
    {
        using var value = TensorData.Floats("IN", [1, 1], 1).ToValue();
        var results = new OrtValue?[1];
        session.Run([0], [value], [0], results);
        results[0]!.Dispose();
    }

    private InstancePool Exclusive(int count)
    {
        var instances = new List<ModelInstance>();
        while (instances.Count < count)
        {
            instances.Add(factory.CreateNext(instances));
        }

        return Track(new InstancePool(instances, 1, factory));
    }

    private InstancePool Track(InstancePool pool)
    {
        pools.Add(pool);
        return pool;
    }
}
