using Inference.Host.Engines;
using Inference.Host.Scheduling;

namespace Inference.Host.Tests.Engines;

public sealed class PluginBatchPlannerTests
{
    private static readonly BatchingOptions Options = new() { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 100, PreferredBatchSizes = [2, 4] };

    [Theory]
    [InlineData(1, 0)] // nothing due: wait out the delay
    [InlineData(3, 2)] // the largest preferred size reached runs
    [InlineData(5, 4)]
    [InlineData(8, 8)] // full
    [InlineData(11, 8)] // full, the rest waits
    public void BeforeTheDelayABatchRunsWhenFullOrAtAPreferredSize(int queued, int expected)
    {
        var take = PluginBatchPlanner.Plan(queued, oldestEnqueuedAt: 1000, Options, delayTicks: 100, now: 1040, out var remaining);

        Assert.Equal(expected, take);
        Assert.Equal(60, remaining);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(20, 8)]
    public void OnceTheOldestHasWaitedTheDelayWhatIsQueuedRuns(int queued, int expected)
    {
        var take = PluginBatchPlanner.Plan(queued, oldestEnqueuedAt: 1000, Options, delayTicks: 100, now: 1100, out var remaining);

        Assert.Equal(expected, take);
        Assert.True(remaining <= 0);
    }

    [Fact]
    public void WithoutPreferredSizesNothingRunsEarlyButAFullBatch()
    {
        var options = Options with { PreferredBatchSizes = [] };

        Assert.Equal(0, PluginBatchPlanner.Plan(7, 0, options, 100, 10, out _));
        Assert.Equal(8, PluginBatchPlanner.Plan(8, 0, options, 100, 10, out _));
        Assert.Equal(0, PluginBatchPlanner.Plan(0, 0, options, 100, 1000, out _));
    }
}
