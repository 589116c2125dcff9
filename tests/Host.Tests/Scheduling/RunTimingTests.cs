using System.Diagnostics;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

/// <summary>
/// The timestamps the scheduler puts on each request it ran (<see cref="RunTiming"/>), from which the
/// statistics count the wait for a batch or a free instance as queue and only the ORT run as infer.
/// The assertions are orderings against timestamps the test takes itself, never durations, so a
/// loaded machine cannot fail them.
/// </summary>
public sealed class RunTimingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<TestScheduler> schedulers = [];

    public void Dispose()
    {
        foreach (var scheduler in schedulers)
        {
            scheduler.Dispose();
        }
    }

    [Theory]
    [InlineData(IoBindingMode.Off)]
    [InlineData(IoBindingMode.On)]
    public async Task ARunOnAFreeInstanceIsTakenAtOnceAndTimedAroundItsRun(IoBindingMode ioBinding)
    {
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(TensorElementType.Float), ioBinding: ioBinding));
        var request = s.Bind(TensorData.Floats("IN", [1, 1], 1));
        Assert.False(request.Timing.IsSet);

        var before = Stopwatch.GetTimestamp();
        TensorData.TakeAll(await s.RunAsync(request));
        var after = Stopwatch.GetTimestamp();

        var timing = request.Timing;
        Assert.True(timing.IsSet);
        AssertOrdered(before, timing.Taken, timing.InferStart, timing.InferEnd, after);
    }

    [Fact]
    public async Task TheWaitForABusyInstanceEndsWhenTheInstanceIsReleased()
    {
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(TensorElementType.Float), exclusive: true));
        Assert.True(s.Instances.TryAcquire(out var held));
        var request = s.Bind(TensorData.Floats("IN", [1, 1], 1));
        var run = s.RunAsync(request);
        Assert.False(run.IsCompleted);

        var released = Stopwatch.GetTimestamp();
        s.Instances.Release(held);
        TensorData.TakeAll(await run.WaitAsync(Patience));

        // Everything before the release was waiting: none of it is in the run's span.
        var timing = request.Timing;
        AssertOrdered(released, timing.Taken, timing.InferStart, timing.InferEnd, Stopwatch.GetTimestamp());
    }

    [Fact]
    public async Task TheWaitInTheBatcherEndsWhenTheBatchIsTaken()
    {
        var time = new ManualTimeProvider();
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000 }, time: time));
        var first = s.Bind(TensorData.Floats("IN", [1, 1], 1));
        var second = s.Bind(TensorData.Floats("IN", [2, 1], 2, 3));
        var runs = new[] { s.RunAsync(first), s.RunAsync(second) };
        Assert.True(await OipEventually(() => s.Scheduler.Queued == 2), "the requests were not queued");

        // The batch cannot form before the clock passes the delay.
        var due = Stopwatch.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(1));
        foreach (var run in runs)
        {
            TensorData.TakeAll(await run.WaitAsync(Patience));
        }

        Assert.Equal(new Dictionary<long, long> { [3] = 1 }, s.BatchSizes());
        Assert.Equal(first.Timing, second.Timing); // one batch, one run
        AssertOrdered(due, first.Timing.Taken, first.Timing.InferStart, first.Timing.InferEnd, Stopwatch.GetTimestamp());
    }

    private static void AssertOrdered(params long[] timestamps)
    {
        for (var i = 1; i < timestamps.Length; i++)
        {
            Assert.True(timestamps[i - 1] <= timestamps[i], $"timestamp {i - 1} ({timestamps[i - 1]}) is after timestamp {i} ({timestamps[i]}): [{string.Join(", ", timestamps)}]");
        }
    }

    private static Task<bool> OipEventually(Func<bool> condition) =>
        Transport.Http.OipClient.EventuallyAsync(() => Task.FromResult(condition()), 30_000);

    private TestScheduler Track(TestScheduler scheduler)
    {
        schedulers.Add(scheduler);
        return scheduler;
    }
}
