using Inference.Host.Scheduling;
using Inference.Host.Tests.Infrastructure;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Scheduling;

/// <summary>
/// Instances that run through ORT IoBindings (<c>Instances:IoBinding=on</c>, forced on the CPU since
/// there is no GPU here): the same bytes as plain runs, alone and batched; one binding per run in
/// progress, reused; cancellation still terminates the run.
/// </summary>
public sealed class IoBindingRunTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Many seconds unless terminated: the tests that terminate it end as soon as it is.</summary>
    private static readonly Lazy<byte[]> EndlessModel = new(() => SchedulingModels.Slow(nodes: 5000, size: 512));

    private readonly List<TestScheduler> schedulers = [];

    public static TheoryData<TensorElementType, bool> TypesBatchedOrNot()
    {
        var data = new TheoryData<TensorElementType, bool>();
        foreach (var (_, type) in TestRepository.DataTypes)
        {
            data.Add(type, false);
            data.Add(type, true);
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
    [MemberData(nameof(TypesBatchedOrNot))]
    public async Task BoundRunsGiveExactlyThePlainRunsBytes(TensorElementType type, bool batched)
    {
        var batching = batched ? new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [6], MaxQueueDelayMicroseconds = 60_000_000 } : null;
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(type), batching, ioBinding: IoBindingMode.On));
        Assert.True(s.Instances.Primary.UsesIoBinding);
        Assert.Equal("Cpu", s.Instances.Primary.OutputMemory);
        // Rows 1 + 3 + 2 make the preferred 6 (one merged run); widths differ run to run (dynamic shapes).
        var inputs = batched
            ? new[] { TensorData.Random("IN", type, [1, 3], 1), TensorData.Random("IN", type, [3, 3], 2), TensorData.Random("IN", type, [2, 3], 3) }
            : [TensorData.Random("IN", type, [1, 3], 1), TensorData.Random("IN", type, [4, 7], 2), TensorData.Random("IN", type, [0, 2], 3), TensorData.Random("IN", type, [2, 1], 4)];
        var requests = inputs.Select(i => s.Bind(i)).ToArray();

        var results = await Task.WhenAll(requests.Select(r => s.RunAsync(r))).WaitAsync(Patience);

        if (batched)
        {
            Assert.Equal(new Dictionary<long, long> { [6] = 1 }, s.BatchSizes());
        }

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal("Cpu", Assert.Single(results[i])!.MemoryName);

            var bound = Assert.Single(TensorData.TakeAll(results[i]));
            bound.AssertSame(Assert.Single(s.RunDirect(requests[i])));
            bound.AssertSame(inputs[i]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnMlpBoundOrPlainGivesTheSameBytes(bool batched)
    {
        var batching = batched ? new BatchingOptions { MaxBatchSize = 8, PreferredBatchSizes = [7], MaxQueueDelayMicroseconds = 60_000_000 } : null;
        var bound = Track(TestScheduler.Create(SchedulingModels.Mlp(), batching, ioBinding: IoBindingMode.On));
        var plain = Track(TestScheduler.Create(SchedulingModels.Mlp(), batching, ioBinding: IoBindingMode.Off));
        Assert.False(plain.Instances.Primary.UsesIoBinding);
        var random = new Random(11);
        var inputs = new[] { 1, 4, 2 }
            .Select(rows => TensorData.Floats("X", [rows, 8], Enumerable.Range(0, rows * 8).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()))
            .ToArray();

        // The same requests in the same batches on both: the same kernels, so the same bits.
        var boundResults = await Task.WhenAll(inputs.Select(i => bound.RunAsync(bound.Bind(i)))).WaitAsync(Patience);
        var plainResults = await Task.WhenAll(inputs.Select(i => plain.RunAsync(plain.Bind(i)))).WaitAsync(Patience);

        Assert.Equal(plain.BatchSizes(), bound.BatchSizes());
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Single(TensorData.TakeAll(boundResults[i])).AssertSame(Assert.Single(TensorData.TakeAll(plainResults[i])));
        }
    }

    [Fact]
    public async Task TwoInputsOfDifferentTypesAndOutputsInAnyOrderAreBound()
    {
        var s = Track(TestScheduler.Create(SchedulingModels.Pair(), ioBinding: IoBindingMode.On));
        var a = TensorData.Floats("A", [2, 2], 1, 2, 3, 4);
        var b = TensorData.Longs("B", [2], 10, 20);

        var reversed = TensorData.TakeAll(await s.RunAsync(s.Bind(["OB", "OA"], b, a)).WaitAsync(Patience));
        var onlyA = TensorData.TakeAll(await s.RunAsync(s.Bind(["OA"], a, b)).WaitAsync(Patience));

        Assert.Equal(b.AsLongs(), reversed[0].AsLongs());
        Assert.Equal(a.AsFloats(), reversed[1].AsFloats());
        Assert.Equal(a.AsFloats(), Assert.Single(onlyA).AsFloats());
    }

    [Fact]
    public async Task AnExclusiveInstanceReusesOneBindingForEveryRun()
    {
        var s = Track(TestScheduler.Create(SchedulingModels.Identity(TensorElementType.Int64), new BatchingOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 100 }, exclusive: true, ioBinding: IoBindingMode.On));
        var instance = s.Instances.Primary;

        for (var run = 0; run < 200; run++)
        {
            var input = TensorData.Longs("IN", [1 + (run % 3), 1], Enumerable.Range(run, 1 + (run % 3)).Select(v => (long)v).ToArray());
            var output = Assert.Single(TensorData.TakeAll(await s.RunAsync(s.Bind(input)).WaitAsync(Patience)));
            Assert.Equal(input.AsLongs(), output.AsLongs());
        }

        Assert.Equal(1, instance.LiveBindings);
        s.Scheduler.Dispose();
        Assert.Equal(0, instance.LiveBindings);
    }

    [Fact]
    public async Task TheSharedInstanceHasNoMoreBindingsThanRunsAtOnce()
    {
        const int Clients = 6;
        var s = Track(TestScheduler.Create(SchedulingModels.Slow(nodes: 4, size: 64), ioBinding: IoBindingMode.On));
        var instance = s.Instances.Primary;
        var maxRunning = 0;
        using var start = new Barrier(Clients);

        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            start.SignalAndWait(Patience);
            for (var k = 0; k < 40; k++)
            {
                var input = TensorData.Floats("IN", [1, 2], c, k);
                var request = s.Bind(input);
                var output = Assert.Single(TensorData.TakeAll(await s.RunAsync(request)));
                Assert.Equal(input.AsFloats(), output.AsFloats());
                InterlockedMax(ref maxRunning, instance.LiveBindings);
            }
        })).ToArray();
        await Task.WhenAll(clients).WaitAsync(Patience);

        Assert.InRange(instance.LiveBindings, 1, Clients);
        Assert.InRange(maxRunning, 1, Clients);
        s.Scheduler.Dispose();
        Assert.Equal(0, instance.LiveBindings);
    }

    [Fact]
    public async Task CancellingABoundRunThatRunsAloneTerminatesIt()
    {
        var s = Track(TestScheduler.Create(EndlessModel.Value, exclusive: true, ioBinding: IoBindingMode.On));
        using var cancel = new CancellationTokenSource();
        var request = s.Bind(TensorData.Floats("IN", [1, 2], 1, 2));

        // Alone, the run is synchronous on the caller's thread: call from another one.
        var run = Task.Run(() => s.RunAsync(request, cancel.Token));
        Assert.True(await Eventually(() => s.Instances.Running == 1), "the run never started");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(0, s.Instances.Running);
        Assert.Equal(0, s.Statistics.ExecutionCount); // a run that completed would have been counted
        Assert.Equal(1, s.Instances.Primary.LiveBindings);
    }

    [Fact]
    public async Task CancellingEveryMemberOfABoundBatchTerminatesIt()
    {
        var time = new ManualTimeProvider();
        var s = Track(TestScheduler.Create(EndlessModel.Value, new BatchingOptions { MaxBatchSize = 4, PreferredBatchSizes = [2], MaxQueueDelayMicroseconds = 60_000_000 }, exclusive: true, time: time, ioBinding: IoBindingMode.On));
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();

        var runs = new[]
        {
            s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 1, 2)), first.Token),
            s.RunAsync(s.Bind(TensorData.Floats("IN", [1, 2], 3, 4)), second.Token),
        };
        Assert.True(await Eventually(() => s.Scheduler.Queued == 0 && s.Instances.Busy == 1), "the batch never started");
        await first.CancelAsync();
        await second.CancelAsync();

        foreach (var run in runs)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        }

        Assert.True(await Eventually(() => s.Instances.Busy == 0, 60_000), "the instance was never released");
        Assert.Equal(0, s.Statistics.ExecutionCount); // terminated: a run that completed would have been counted
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static Task<bool> Eventually(Func<bool> condition, int timeoutMs = 30_000) =>
        Transport.Http.OipClient.EventuallyAsync(() => Task.FromResult(condition()), timeoutMs);

    private TestScheduler Track(TestScheduler scheduler)
    {
        schedulers.Add(scheduler);
        return scheduler;
    }
}
