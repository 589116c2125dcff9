using Inference.Host.Scheduling;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Binding;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

/// <summary>
/// Merging, splitting and dispatch of the dynamic batcher, through <see cref="ModelScheduler"/>. The
/// clock is manual: a batch that is not full and has no preferred size runs only when the test moves
/// the clock past the delay.
/// </summary>
public sealed class DynamicBatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly ManualTimeProvider time = new();
    private readonly List<TestScheduler> schedulers = [];

    public static TheoryData<TensorElementType> ElementTypes()
    {
        var data = new TheoryData<TensorElementType>();
        foreach (var (_, type) in TestRepository.DataTypes)
        {
            data.Add(type);
        }

        return data;
    }

    public void Dispose()
    {
        foreach (var scheduler in schedulers)
        {
            scheduler.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(ElementTypes))]
    public async Task BatchedResultsAreIdenticalToUnbatchedRunsForEveryElementType(TensorElementType type)
    {
        var s = Create(SchedulingModels.Identity(type), new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [6], MaxQueueDelayMicroseconds = 1_000_000 });
        var inputs = new[] { TensorData.Random("IN", type, [1, 3], 1), TensorData.Random("IN", type, [3, 3], 2), TensorData.Random("IN", type, [2, 3], 3) };
        var requests = inputs.Select(i => s.Bind(i)).ToArray();

        var runs = requests.Select(r => s.RunAsync(r)).ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(Patience);

        Assert.Equal(new Dictionary<long, long> { [6] = 1 }, s.BatchSizes());
        for (var i = 0; i < requests.Length; i++)
        {
            var batched = Assert.Single(TensorData.TakeAll(results[i]));
            batched.AssertSame(Assert.Single(s.RunDirect(requests[i])));
            batched.AssertSame(inputs[i]);
        }
    }

    [Fact]
    public async Task EachRequestGetsItsOwnRowsBackWhateverOrderItGaveItsInputsIn()
    {
        var s = Create(SchedulingModels.Pair(), new BatchingOptions { MaxBatchSize = 16, PreferredBatchSizes = [6], MaxQueueDelayMicroseconds = 1_000_000 });
        var a1 = TensorData.Floats("A", [2, 2], 1, 2, 3, 4);
        var b1 = TensorData.Longs("B", [2], 10, 20);
        var a2 = TensorData.Floats("A", [1, 2], 5, 6);
        var b2 = TensorData.Longs("B", [1], 30);
        var a3 = TensorData.Floats("A", [3, 2], 7, 8, 9, 10, 11, 12);
        var b3 = TensorData.Longs("B", [3], 40, 50, 60);
        var first = s.Bind(a1, b1);
        var second = s.Bind(b2, a2);
        var third = s.Bind(["OA", "OB"], b3, a3);

        var results = await Task.WhenAll(s.RunAsync(first), s.RunAsync(second), s.RunAsync(third)).WaitAsync(Patience);

        Assert.Equal(new Dictionary<long, long> { [6] = 1 }, s.BatchSizes());
        foreach (var (result, a, b) in new[] { (results[0], a1, b1), (results[1], a2, b2), (results[2], a3, b3) })
        {
            var outputs = TensorData.TakeAll(result);
            Assert.Equal(a.Shape, outputs[0].Shape);
            Assert.Equal(a.AsFloats(), outputs[0].AsFloats());
            Assert.Equal(b.AsLongs(), outputs[1].AsLongs());
        }
    }

    [Fact]
    public async Task AnMlpBatchedGivesWhatEachRequestGetsAlone()
    {
        var s = Create(SchedulingModels.Mlp(), new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [7], MaxQueueDelayMicroseconds = 1_000_000 });
        var random = new Random(7);
        var requests = new[] { 1, 4, 2 }
            .Select(rows => s.Bind(TensorData.Floats("X", [rows, 8], Enumerable.Range(0, rows * 8).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray())))
            .ToArray();

        var results = await Task.WhenAll(requests.Select(r => s.RunAsync(r))).WaitAsync(Patience);

        Assert.Equal(new Dictionary<long, long> { [7] = 1 }, s.BatchSizes());
        for (var i = 0; i < requests.Length; i++)
        {
            var batched = Assert.Single(TensorData.TakeAll(results[i]));
            var alone = Assert.Single(s.RunDirect(requests[i]));
            Assert.Equal(alone.Shape, batched.Shape);
            // A GEMM may pick another kernel for another row count: equal up to float rounding.
            foreach (var (x, y) in alone.AsFloats().Zip(batched.AsFloats()))
            {
                Assert.Equal(x, y, 1e-5f * Math.Max(1f, Math.Abs(x)));
            }
        }
    }

    [Fact]
    public async Task TheOldestRequestWaitsOutTheMaxQueueDelayThenItsBatchRuns()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000 });
        var first = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 1)));
        var second = s.RunAsync(s.Bind(TensorData.Floats("IN", [2, 1], 2, 3)));

        await AssertStillWaitingAsync(first, second);
        Assert.Equal(2, s.Scheduler.Queued);
        time.Advance(TimeSpan.FromMicroseconds(999));
        await AssertStillWaitingAsync(first, second);

        time.Advance(TimeSpan.FromMicroseconds(1));
        var results = await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.Equal(new Dictionary<long, long> { [3] = 1 }, s.BatchSizes());
        Assert.Equal([1f], Assert.Single(TensorData.TakeAll(results[0])).AsFloats());
        Assert.Equal([2f, 3f], Assert.Single(TensorData.TakeAll(results[1])).AsFloats());
        Assert.Equal(0, s.Scheduler.Queued);
    }

    [Fact]
    public async Task APreferredBatchSizeRunsWithoutWaitingOutTheDelay()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [2, 3], MaxQueueDelayMicroseconds = 60_000_000 });
        var first = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 1)));
        await AssertStillWaitingAsync(first);

        var second = s.RunAsync(s.Bind(TensorData.Floats("IN", [2, 1], 2, 3)));
        DisposeAll(await Task.WhenAll(first, second).WaitAsync(Patience));
        Assert.Equal(new Dictionary<long, long> { [3] = 1 }, s.BatchSizes());

        var third = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 4)));
        await AssertStillWaitingAsync(third);
        time.Advance(TimeSpan.FromSeconds(60));
        DisposeAll(await third.WaitAsync(Patience));
        Assert.Equal(new Dictionary<long, long> { [1] = 1, [3] = 1 }, s.BatchSizes());
    }

    [Fact]
    public async Task AFullBatchRunsAtOnceAndARequestThatDoesNotFitWaitsForTheNext()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 60_000_000 });

        // 3 + 1 = 4 rows: full.
        var full = new[] { s.RunAsync(s.Bind(TensorData.Floats("IN", [3, 1], 1, 2, 3))), s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 4))) };
        DisposeAll(await Task.WhenAll(full).WaitAsync(Patience));
        Assert.Equal(new Dictionary<long, long> { [4] = 1 }, s.BatchSizes());

        // 3 + 2 > 4: the first cannot grow, so it runs; the second waits for the delay.
        var alone = s.RunAsync(s.Bind(TensorData.Floats("IN", [3, 1], 1, 2, 3)));
        var next = s.RunAsync(s.Bind(TensorData.Floats("IN", [2, 1], 4, 5)));
        DisposeAll(await alone.WaitAsync(Patience));
        await AssertStillWaitingAsync(next);
        time.Advance(TimeSpan.FromMinutes(1));
        var rest = await next.WaitAsync(Patience);
        Assert.Equal([4f, 5f], Assert.Single(TensorData.TakeAll(rest)).AsFloats());
        Assert.Equal(new Dictionary<long, long> { [2] = 1, [3] = 1, [4] = 1 }, s.BatchSizes());
    }

    [Fact]
    public async Task IncompatibleRequestsRunInSeparateBatches()
    {
        var s = Create(SchedulingModels.Pair(), new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000 });
        var both = s.RunAsync(s.Bind(TensorData.Floats("A", [1, 2], 1, 2), TensorData.Longs("B", [1], 3)));
        var onlyB = s.RunAsync(s.Bind(["OB"], TensorData.Floats("A", [2, 2], 4, 5, 6, 7), TensorData.Longs("B", [2], 8, 9)));
        var reversed = s.RunAsync(s.Bind(["OB", "OA"], TensorData.Floats("A", [1, 2], 1, 2), TensorData.Longs("B", [1], 3)));
        var bothAgain = s.RunAsync(s.Bind(TensorData.Longs("B", [3], 10, 11, 12), TensorData.Floats("A", [3, 2], 1, 2, 3, 4, 5, 6)));
        await AssertStillWaitingAsync(both, onlyB, reversed, bothAgain);

        time.Advance(Hour);
        var results = await Task.WhenAll(both, onlyB, reversed, bothAgain).WaitAsync(Patience);

        // Same outputs asked for (whatever the input order): merged; other outputs or another order: alone.
        Assert.Equal(new Dictionary<long, long> { [1] = 1, [2] = 1, [4] = 1 }, s.BatchSizes());
        Assert.Equal([8L, 9L], Assert.Single(TensorData.TakeAll(results[1])).AsLongs());
        var reversedOutputs = TensorData.TakeAll(results[2]);
        Assert.Equal([3L], reversedOutputs[0].AsLongs());
        Assert.Equal([1f, 2f], reversedOutputs[1].AsFloats());
        Assert.Equal([10L, 11L, 12L], TensorData.TakeAll(results[3])[1].AsLongs());
        DisposeAll(results[0]);
    }

    [Fact]
    public async Task DifferentDimensionsAfterTheFirstAreNotMerged()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000 });
        var narrow = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 1, 2)));
        var wide = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 3], 3, 4, 5)));
        var narrowToo = s.RunAsync(s.Bind(TensorData.Floats("IN", [2, 2], 6, 7, 8, 9)));

        time.Advance(Hour);
        var results = await Task.WhenAll(narrow, wide, narrowToo).WaitAsync(Patience);

        Assert.Equal(new Dictionary<long, long> { [1] = 1, [3] = 1 }, s.BatchSizes());
        Assert.Equal([3f, 4f, 5f], Assert.Single(TensorData.TakeAll(results[1])).AsFloats());
        Assert.Equal([6f, 7f, 8f, 9f], Assert.Single(TensorData.TakeAll(results[2])).AsFloats());
        DisposeAll(results[0]);
    }

    [Fact]
    public async Task RequestsThatCannotBeMergedRunAloneAtOnce()
    {
        var s = Create(SchedulingModels.WithScalarOutput(), new BatchingOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 60_000_000 });

        // More rows than the max batch size, and an output with no batch dimension: neither waits.
        var tooBig = await s.RunAsync(s.Bind(["OUT"], TensorData.Floats("IN", [5, 2], 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))).WaitAsync(Patience);
        var scalar = await s.RunAsync(s.Bind(["TOTAL"], TensorData.Floats("IN", [1, 2], 1, 2))).WaitAsync(Patience);
        var queued = s.RunAsync(s.Bind(["OUT"], TensorData.Floats("IN", [1, 2], 1, 2)));

        Assert.Equal(10, TensorData.TakeAll(tooBig)[0].AsFloats().Length);
        Assert.Equal([3f], TensorData.TakeAll(scalar)[0].AsFloats());
        await AssertStillWaitingAsync(queued);
        Assert.Equal(1, s.Scheduler.Queued);
        Assert.Equal(new Dictionary<long, long> { [1] = 1, [5] = 1 }, s.BatchSizes());
        time.Advance(Hour);
        DisposeAll(await queued.WaitAsync(Patience));
    }

    [Fact]
    public async Task StringTensorsAreMergedAndSplitByRow()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.String), new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [3], MaxQueueDelayMicroseconds = 60_000_000 });
        var first = TensorData.Text("IN", [1, 2], "a", "");
        var second = TensorData.Text("IN", [2, 2], "bc", "d\0e", "ünï", "fgh");

        var results = await Task.WhenAll(s.RunAsync(s.Bind(first)), s.RunAsync(s.Bind(second))).WaitAsync(Patience);

        Assert.Equal(new Dictionary<long, long> { [3] = 1 }, s.BatchSizes());
        Assert.Single(TensorData.TakeAll(results[0])).AssertSame(first);
        Assert.Single(TensorData.TakeAll(results[1])).AssertSame(second);
    }

    [Fact]
    public async Task RowsOfNoElementsAreMergedToo()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [3], MaxQueueDelayMicroseconds = 60_000_000 });

        var results = await Task.WhenAll(s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 0]))), s.RunAsync(s.Bind(TensorData.Floats("IN", [2, 0])))).WaitAsync(Patience);

        Assert.Equal(new Dictionary<long, long> { [3] = 1 }, s.BatchSizes());
        Assert.Equal(new long[] { 1, 0 }, Assert.Single(TensorData.TakeAll(results[0])).Shape);
        Assert.Equal(new long[] { 2, 0 }, Assert.Single(TensorData.TakeAll(results[1])).Shape);
    }

    [Fact]
    public async Task AnOutputWhoseFirstDimensionIsNotTheBatchMakesEachRequestRunAlone()
    {
        var s = Create(SchedulingModels.Flatten(), new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [3], MaxQueueDelayMicroseconds = 60_000_000 });
        var first = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 1, 2)));
        var second = s.RunAsync(s.Bind(TensorData.Floats("IN", [2, 2], 3, 4, 5, 6)));

        var results = await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.Equal([1f, 2f], Assert.Single(TensorData.TakeAll(results[0])).AsFloats());
        Assert.Equal([3f, 4f, 5f, 6f], Assert.Single(TensorData.TakeAll(results[1])).AsFloats());
        Assert.Equal(new Dictionary<long, long> { [1] = 1, [2] = 1 }, s.BatchSizes());
    }

    [Fact]
    public async Task ARequestCancelledWhileQueuedLeavesTheBatchAndNeverRuns()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000 });
        using var cancel = new CancellationTokenSource();
        var kept = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 1)));
        var leaving = s.RunAsync(s.Bind(TensorData.Floats("IN", [2, 1], 2, 3)), cancel.Token);
        var keptToo = s.RunAsync(s.Bind(TensorData.Floats("IN", [3, 1], 4, 5, 6)));

        await cancel.CancelAsync();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Patience));
        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.Equal(2, s.Scheduler.Queued);
        await AssertStillWaitingAsync(kept, keptToo);

        time.Advance(Hour);
        var results = await Task.WhenAll(kept, keptToo).WaitAsync(Patience);
        Assert.Equal(new Dictionary<long, long> { [4] = 1 }, s.BatchSizes());
        Assert.Equal([4f, 5f, 6f], Assert.Single(TensorData.TakeAll(results[1])).AsFloats());
        DisposeAll(results[0]);
    }

    [Fact]
    public async Task ARequestWhoseTokenIsAlreadyCancelledIsNeverQueued()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 1)), new CancellationToken(true)));

        Assert.Equal(0, s.Scheduler.Queued);
        Assert.Equal(0, s.Statistics.ExecutionCount);
    }

    [Fact]
    public async Task AFailedBatchFailsEveryMemberWithTheError()
    {
        var s = Create(SchedulingModels.Lookup(), new BatchingOptions { MaxBatchSize = 4, PreferredBatchSizes = [3], MaxQueueDelayMicroseconds = 60_000_000 });
        var good = s.RunAsync(s.Bind(TensorData.Longs("IN", [1], 0)));
        var alsoGood = s.RunAsync(s.Bind(TensorData.Longs("IN", [1], 2)));
        var bad = s.RunAsync(s.Bind(TensorData.Longs("IN", [1], 7)));

        var errors = new List<OrtException>();
        foreach (var run in new[] { good, alsoGood, bad })
        {
            errors.Add(await Assert.ThrowsAsync<OrtException>(() => run.WaitAsync(Patience)));
        }

        Assert.Equal(3, errors.Distinct().Count());
        Assert.All(errors, e => Assert.Equal(errors[0].Message, e.Message));
        Assert.Contains("Gather", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, s.Statistics.ExecutionCount);

        // The requests themselves were fine: alone, they run.
        var again = s.RunDirect(s.Bind(TensorData.Longs("IN", [2], 0, 2)));
        Assert.Equal([10f, 30f], Assert.Single(again).AsFloats());
    }

    [Fact]
    public async Task DisposingTheSchedulerFailsWhatIsStillQueued()
    {
        var s = Create(SchedulingModels.Identity(TensorElementType.Float), new BatchingOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 1_000 });
        var queued = s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 1], 1)));

        s.Scheduler.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued.WaitAsync(Patience));
    }

    [Fact]
    public void BatchingAModelWhoseFirstDimensionIsFixedIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Create(SchedulingModels.FixedBatch(), new BatchingOptions { MaxBatchSize = 4 }));

        Assert.Contains("'IN'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[4,2]", e.Message, StringComparison.Ordinal);
    }

    private static async Task AssertStillWaitingAsync(params Task[] tasks)
    {
        // Not a timing assertion: nothing can complete these until the test moves the clock.
        await Task.Delay(150);
        Assert.All(tasks, t => Assert.False(t.IsCompleted, "a request ran before its batch was due"));
    }

    private static void DisposeAll(params Inference.Onnx.Runtime.OrtValue?[][] results)
    {
        foreach (var values in results)
        {
            foreach (var v in values)
            {
                v?.Dispose();
            }
        }
    }

    private TestScheduler Create(byte[] model, BatchingOptions batching)
    {
        var scheduler = TestScheduler.Create(model, batching, time: time);
        schedulers.Add(scheduler);
        return scheduler;
    }
}
