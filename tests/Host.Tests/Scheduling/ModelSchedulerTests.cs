using Inference.Host.Scheduling;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

/// <summary>
/// The scheduler's run paths: alone on a free instance (synchronously), waiting for a busy one,
/// cancellation before and during a run (alone and batched), and instances changing under load.
/// </summary>
public sealed class ModelSchedulerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A run of a second or more: still going when the test cancels one of its members.</summary>
    private static readonly Lazy<byte[]> SlowModel = new(() => SchedulingModels.Slow(nodes: 600, size: 512));

    /// <summary>Many seconds unless terminated: the tests that terminate it end as soon as it is.</summary>
    private static readonly Lazy<byte[]> EndlessModel = new(() => SchedulingModels.Slow(nodes: 5000, size: 512));

    private readonly List<TestScheduler> schedulers = [];

    public void Dispose()
    {
        foreach (var scheduler in schedulers)
        {
            scheduler.Dispose();
        }
    }

    [Fact]
    public async Task WithAFreeInstanceTheRunHappensSynchronouslyOnTheCallersThread()
    {
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(TensorElementType.Float)));
        var request = s.Bind(TensorData.Floats("IN", [2, 1], 1, 2));

        var run = s.Scheduler.RunAsync(request, CancellationToken.None);

        Assert.True(run.IsCompletedSuccessfully);
        var results = await run;
        Assert.Equal([1f, 2f], Assert.Single(TensorData.TakeAll(results)).AsFloats());
        Assert.Equal(1, s.Statistics.ExecutionCount);
        Assert.Equal(1, s.BatchSizes()[2]);
        Assert.Equal(0, s.Instances.Running);
    }

    [Fact]
    public async Task TheSharedDefaultInstanceTakesAnyNumberOfRunsAtOnce()
    {
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(TensorElementType.Float)));
        Assert.True(s.Instances.TryAcquire(out var held));
        Assert.True(s.Instances.TryAcquire(out var again));
        Assert.Same(held, again);

        var run = s.Scheduler.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 1)), CancellationToken.None);

        Assert.True(run.IsCompletedSuccessfully);
        TensorData.TakeAll(await run);
        s.Instances.Release(held);
        s.Instances.Release(again);
    }

    [Fact]
    public async Task WhenEveryInstanceIsBusyARunWaitsForOneAndCanBeCancelledMeanwhile()
    {
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(TensorElementType.Float), exclusive: true));
        Assert.True(s.Instances.TryAcquire(out var held));
        using var cancel = new CancellationTokenSource();

        var cancelled = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 1)), cancel.Token);
        var waiting = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 2)));
        Assert.False(cancelled.IsCompleted);
        Assert.Equal(2, s.Instances.Waiting);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.Equal(1, s.Instances.Waiting);
        Assert.False(waiting.IsCompleted);

        s.Instances.Release(held);

        var answer = await waiting.WaitAsync(Patience);
        Assert.Equal([2f], Assert.Single(TensorData.TakeAll(answer)).AsFloats());
        Assert.Equal(1, s.Statistics.ExecutionCount);
        Assert.Equal(0, s.Instances.Waiting);
    }

    [Fact]
    public async Task CancellingARunThatRunsAloneTerminatesIt()
    {
        var s = Track(TestScheduler.Create(EndlessModel.Value, exclusive: true));
        using var cancel = new CancellationTokenSource();
        var request = s.Bind(TensorData.Floats("IN", [1, 2], 1, 2));

        // Alone, the run is synchronous on the caller's thread: call from another one.
        var run = Task.Run(() => s.RunAsync(request, cancel.Token));
        Assert.True(await OipEventually(() => s.Instances.Running == 1), "the run never started");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(0, s.Instances.Running);
        Assert.Equal(0, s.Statistics.ExecutionCount); // a run that completed would have been counted
    }

    [Fact]
    public async Task CancellingOneMemberDuringABatchRunLeavesTheOthersTheirAnswers()
    {
        var time = new ManualTimeProvider();
        var s = Track(TestScheduler.Create(SlowModel.Value, new BatchingOptions { MaxBatchSize = 4, PreferredBatchSizes = [2], MaxQueueDelayMicroseconds = 60_000_000 }, exclusive: true, time: time));
        using var cancel = new CancellationTokenSource();

        var leaving = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 1, 2)), cancel.Token);
        var staying = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 3, 4)));
        Assert.True(await OipEventually(() => s.Scheduler.Queued == 0 && s.Instances.Busy == 1), "the batch never started");
        await cancel.CancelAsync();

        var answer = await staying.WaitAsync(Patience);
        Assert.Equal([3f, 4f], Assert.Single(TensorData.TakeAll(answer)).AsFloats());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Patience));
        Assert.Equal(new Dictionary<long, long> { [2] = 1 }, s.BatchSizes());
    }

    [Fact]
    public async Task CancellingEveryMemberDuringABatchRunTerminatesIt()
    {
        var time = new ManualTimeProvider();
        var s = Track(TestScheduler.Create(EndlessModel.Value, new BatchingOptions { MaxBatchSize = 4, PreferredBatchSizes = [2], MaxQueueDelayMicroseconds = 60_000_000 }, exclusive: true, time: time));
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();

        var runs = new[]
        {
            s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 1, 2)), first.Token),
            s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 3, 4)), second.Token),
        };
        Assert.True(await OipEventually(() => s.Scheduler.Queued == 0 && s.Instances.Busy == 1), "the batch never started");
        await first.CancelAsync();
        await second.CancelAsync();

        foreach (var run in runs)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        }

        Assert.True(await OipEventually(() => s.Instances.Busy == 0, 60_000), "the instance was never released");
        Assert.Equal(0, s.Statistics.ExecutionCount); // terminated: a run that completed would have been counted
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InstancesAddedAndRemovedWhileSixteenRequestsRunLoseNone(bool batching)
    {
        var options = batching ? new BatchingOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 500 } : null;
        var s = Track(TestScheduler.Create(SchedulingModels.Slow(nodes: 4, size: 128), options, instances: 2, exclusive: true));
        var original = s.Instances.Instances.ToArray();
        const int Clients = 16;
        const int Each = 4;
        var inputs = Enumerable.Range(0, Clients * Each).Select(i => TensorData.Floats("IN", [1, 2], i, -i)).ToArray();
        var requests = inputs.Select(i => s.Bind(i)).ToArray();
        var resized = false;
        var answered = 0;
        using var started = new CountdownEvent(Clients);

        // Each client keeps sending until the instances have stopped changing, so every change happens under load.
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            started.Signal();
            for (var k = 0; k < Each || !Volatile.Read(ref resized); k++)
            {
                var i = (c * Each) + (k % Each);
                var output = Assert.Single(TensorData.TakeAll(await s.RunAsync(requests[i])));
                Assert.Equal(inputs[i].AsFloats(), output.AsFloats());
                Interlocked.Increment(ref answered);
            }
        })).ToArray();
        started.Wait(Patience);

        await s.Instances.SetCountAsync(4);
        Assert.Equal(4, s.Instances.Count);
        await s.Instances.RemoveAsync(original[1]);
        await s.Instances.SetCountAsync(1);
        Assert.Equal(1, s.Instances.Count);
        await s.Instances.SetCountAsync(3);
        await s.Instances.RemoveAsync(original[0]);
        Volatile.Write(ref resized, true);
        await Task.WhenAll(clients).WaitAsync(Patience);

        Assert.Equal(2, s.Instances.Count);
        Assert.DoesNotContain(original[0], s.Instances.Instances);
        Assert.DoesNotContain(original[1], s.Instances.Instances);
        Assert.True(answered >= Clients * Each);
        Assert.Equal(answered, s.Statistics.Batches.Sum(b => b.Key * b.Value.Count));
        Assert.Throws<ObjectDisposedException>(() => RunOn(original[1].Session));
        RunOn(original[0].Session); // the primary answers metadata until the model goes
    }

    private static void RunOn(InferenceSession session)
    {
        using var value = TensorData.Floats("IN", [1, 2], 1, 2).ToValue();
        var results = new OrtValue?[1];
        session.Run([0], [value], [0], results);
        results[0]!.Dispose();
    }

    private static Task<bool> OipEventually(Func<bool> condition, int timeoutMs = 30_000) =>
        Transport.Http.OipClient.EventuallyAsync(() => Task.FromResult(condition()), timeoutMs);

    private TestScheduler Track(TestScheduler scheduler)
    {
        schedulers.Add(scheduler);
        return scheduler;
    }
}
