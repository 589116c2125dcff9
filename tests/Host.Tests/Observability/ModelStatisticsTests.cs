using System.Diagnostics;
using Inference.Host.Observability;

namespace Inference.Host.Tests.Observability;

public sealed class ModelStatisticsTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void NewStatisticsAreZero()
    {
        var statistics = new ModelStatistics(new FixedTimeProvider(Now));

        Assert.Equal(0, statistics.LastInferenceUnixMs);
        Assert.Equal(0, statistics.InferenceCount);
        Assert.Equal(0, statistics.ExecutionCount);
        foreach (var stage in Stages(statistics))
        {
            Assert.Equal(0, stage.Count);
            Assert.Equal(0, stage.TotalNanoseconds);
        }
    }

    [Fact]
    public void RecordSuccessSplitsTheRequestIntoItsStages()
    {
        var statistics = new ModelStatistics(new FixedTimeProvider(Now));
        var start = Stopwatch.GetTimestamp();
        var queued = start + Microseconds(150);
        var inputReady = queued + Microseconds(40);
        var inferDone = inputReady + Microseconds(2_500);
        var outputDone = inferDone + Microseconds(60);

        statistics.RecordSuccess(4, start, queued, inputReady, inferDone, outputDone);

        AssertStage(statistics.Queue, 1, 150_000);
        AssertStage(statistics.ComputeInput, 1, 40_000);
        AssertStage(statistics.ComputeInfer, 1, 2_500_000);
        AssertStage(statistics.ComputeOutput, 1, 60_000);
        AssertStage(statistics.Success, 1, 2_750_000);
        AssertStage(statistics.HostOverhead, 1, 2_750_000 - 2_500_000);
        AssertStage(statistics.Fail, 0, 0);
        Assert.Equal(4, statistics.InferenceCount);
        Assert.Equal(0, statistics.ExecutionCount); // counted by the scheduler, per ORT run
        Assert.Equal(Now.ToUnixTimeMilliseconds(), statistics.LastInferenceUnixMs);
    }

    [Fact]
    public void StageHistogramsHoldTheStageDurations()
    {
        var statistics = new ModelStatistics(new FixedTimeProvider(Now));
        var start = Stopwatch.GetTimestamp();

        statistics.RecordSuccess(1, start, start + Microseconds(10), start + Microseconds(30), start + Microseconds(1_030), start + Microseconds(1_100));

        AssertNear(10_000, statistics.Queue.Histogram.Percentile(0.5));
        AssertNear(20_000, statistics.ComputeInput.Histogram.Percentile(0.5));
        AssertNear(1_000_000, statistics.ComputeInfer.Histogram.Percentile(0.5));
        AssertNear(70_000, statistics.ComputeOutput.Histogram.Percentile(0.5));
        AssertNear(1_100_000, statistics.Success.Histogram.Percentile(0.5));
        AssertNear(100_000, statistics.HostOverhead.Histogram.Percentile(0.5));
    }

    [Fact]
    public void SuccessesAccumulateAndInferenceCountAddsBatchSizes()
    {
        var statistics = new ModelStatistics(new FixedTimeProvider(Now));
        var t = Stopwatch.GetTimestamp();

        statistics.RecordSuccess(3, t, t + Microseconds(1), t + Microseconds(2), t + Microseconds(12), t + Microseconds(13));
        statistics.RecordSuccess(5, t, t + Microseconds(2), t + Microseconds(4), t + Microseconds(104), t + Microseconds(107));
        statistics.RecordSuccess(1, t, t, t, t + Microseconds(1_000), t + Microseconds(1_000));

        Assert.Equal(3 + 5 + 1, statistics.InferenceCount);
        AssertStage(statistics.Success, 3, (13 + 107 + 1_000) * 1_000L);
        AssertStage(statistics.Queue, 3, (1 + 2 + 0) * 1_000L);
        AssertStage(statistics.ComputeInput, 3, (1 + 2 + 0) * 1_000L);
        AssertStage(statistics.ComputeInfer, 3, (10 + 100 + 1_000) * 1_000L);
        AssertStage(statistics.ComputeOutput, 3, (1 + 3 + 0) * 1_000L);
        AssertStage(statistics.HostOverhead, 3, (3 + 7 + 0) * 1_000L);
    }

    [Fact]
    public void LastInferenceTimeComesFromTheClock()
    {
        var clock = new FixedTimeProvider(Now);
        var statistics = new ModelStatistics(clock);
        var t = Stopwatch.GetTimestamp();

        statistics.RecordSuccess(1, t, t, t, t, t);
        Assert.Equal(1_735_787_045_678, statistics.LastInferenceUnixMs);

        clock.Now = Now.AddMinutes(1).AddMilliseconds(1);
        statistics.RecordSuccess(1, t, t, t, t, t);
        Assert.Equal(1_735_787_045_678 + 60_001, statistics.LastInferenceUnixMs);
    }

    [Fact]
    public void RecordFailureCountsOnlyTheFailure()
    {
        var clock = new FixedTimeProvider(Now);
        var statistics = new ModelStatistics(clock);
        var t = Stopwatch.GetTimestamp();

        statistics.RecordFailure(t, t + Microseconds(320));
        statistics.RecordFailure(t, t + Microseconds(80));

        AssertStage(statistics.Fail, 2, 400_000);
        AssertStage(statistics.Success, 0, 0);
        AssertStage(statistics.ComputeInfer, 0, 0);
        AssertStage(statistics.HostOverhead, 0, 0);
        Assert.Equal(0, statistics.InferenceCount);
        Assert.Equal(0, statistics.ExecutionCount);
        Assert.Equal(0, statistics.LastInferenceUnixMs);
        AssertNear(320_000, statistics.Fail.Histogram.Percentile(1));
    }

    [Fact]
    public void ConcurrentSuccessesAreAllCounted()
    {
        const int Threads = 8;
        const int PerThread = 10_000;
        var statistics = new ModelStatistics(new FixedTimeProvider(Now));
        var t = Stopwatch.GetTimestamp();

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                statistics.RecordSuccess(2, t, t + Microseconds(1), t + Microseconds(2), t + Microseconds(5), t + Microseconds(6));
            }
        });

        const long N = Threads * PerThread;
        Assert.Equal(2 * N, statistics.InferenceCount);
        AssertStage(statistics.Success, N, N * 6_000);
        AssertStage(statistics.ComputeInfer, N, N * 3_000);
        AssertStage(statistics.HostOverhead, N, N * 3_000);
    }

    [Fact]
    public void ExecutionsAreCountedPerBatchSizeWithTheirStages()
    {
        var statistics = new ModelStatistics(new FixedTimeProvider(Now));
        var t = Stopwatch.GetTimestamp();

        statistics.RecordExecution(4, t, t + Microseconds(10), t + Microseconds(110), t + Microseconds(115));
        statistics.RecordExecution(1, t, t, t + Microseconds(50), t + Microseconds(50));
        statistics.RecordExecution(4, t, t + Microseconds(20), t + Microseconds(220), t + Microseconds(225));

        Assert.Equal(3, statistics.ExecutionCount);
        Assert.Equal(0, statistics.InferenceCount); // counted per request, on success
        Assert.Equal(new long[] { 1, 4 }, statistics.Batches.Select(b => b.Key));
        var one = statistics.Batches[0].Value;
        Assert.Equal((1L, 0L, 50_000L, 0L), (one.Count, one.InputNanoseconds, one.InferNanoseconds, one.OutputNanoseconds));
        var four = statistics.Batches[1].Value;
        Assert.Equal((2L, 30_000L, 300_000L, 10_000L), (four.Count, four.InputNanoseconds, four.InferNanoseconds, four.OutputNanoseconds));
    }

    /// <summary>Stopwatch ticks for <paramref name="microseconds"/>, whatever the Stopwatch frequency.</summary>
    private static long Microseconds(long microseconds)
    {
        Assert.Equal(0, Stopwatch.Frequency % 1_000_000);
        return Stopwatch.Frequency / 1_000_000 * microseconds;
    }

    private static void AssertStage(StageStatistics stage, long count, long totalNanoseconds)
    {
        Assert.Equal(count, stage.Count);
        Assert.Equal(totalNanoseconds, stage.TotalNanoseconds);
        Assert.Equal(count, stage.Histogram.Count);
    }

    private static void AssertNear(long expected, long actual) =>
        Assert.InRange(actual, expected - (expected / 16), expected + (expected / 16));

    private static StageStatistics[] Stages(ModelStatistics s) =>
        [s.Success, s.Fail, s.Queue, s.ComputeInput, s.ComputeInfer, s.ComputeOutput, s.HostOverhead];
}
