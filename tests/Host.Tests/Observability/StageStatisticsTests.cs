using Inference.Host.Observability;

namespace Inference.Host.Tests.Observability;

public sealed class StageStatisticsTests
{
    [Fact]
    public void ANewStageIsEmpty()
    {
        var stage = new StageStatistics();

        Assert.Equal(0, stage.Count);
        Assert.Equal(0, stage.TotalNanoseconds);
        Assert.Equal(0, stage.Histogram.Count);
    }

    [Fact]
    public void RecordCountsSumsAndFeedsTheHistogram()
    {
        var stage = new StageStatistics();

        stage.Record(100);
        stage.Record(2_000);
        stage.Record(0);
        stage.Record(30_000);

        Assert.Equal(4, stage.Count);
        Assert.Equal(32_100, stage.TotalNanoseconds);
        Assert.Equal(4, stage.Histogram.Count);
        Assert.Equal(0, stage.Histogram.Percentile(0));
        Assert.InRange(stage.Histogram.Percentile(1), 30_000 - 1_875, 30_000 + 1_875);
    }

    [Fact]
    public void TheTotalDoesNotOverflowForLongRuns()
    {
        var stage = new StageStatistics();
        const long TenMinutes = 600_000_000_000;

        for (var i = 0; i < 1_000; i++)
        {
            stage.Record(TenMinutes);
        }

        Assert.Equal(1_000, stage.Count);
        Assert.Equal(600_000_000_000_000, stage.TotalNanoseconds);
    }

    [Fact]
    public void ConcurrentRecordsAreAllCountedAndSummed()
    {
        const int Threads = 8;
        const int PerThread = 20_000;
        var stage = new StageStatistics();

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 1; i <= PerThread; i++)
            {
                stage.Record(i);
            }
        });

        Assert.Equal(Threads * PerThread, stage.Count);
        Assert.Equal(Threads * ((long)PerThread * (PerThread + 1) / 2), stage.TotalNanoseconds);
        Assert.Equal(Threads * PerThread, stage.Histogram.Count);
    }
}
