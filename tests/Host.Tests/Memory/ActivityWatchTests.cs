using Inference.Host.Memory;

namespace Inference.Host.Tests.Memory;

public sealed class ActivityWatchTests
{
    [Fact]
    public void AnIdleHostIsNeverTrimmed()
    {
        var watch = new ActivityWatch();
        Assert.All(Enumerable.Range(0, 5), _ => Assert.False(watch.ShouldTrim(0)));
    }

    [Fact]
    public void ItTrimsOnceAfterTheFirstQuietIntervalThatFollowsRequests()
    {
        var watch = new ActivityWatch();
        Assert.False(watch.ShouldTrim(10));  // requests came in this interval
        Assert.False(watch.ShouldTrim(250)); // still busy
        Assert.True(watch.ShouldTrim(250));  // quiet: trim
        Assert.False(watch.ShouldTrim(250)); // still quiet: already trimmed
        Assert.False(watch.ShouldTrim(250));
    }

    [Fact]
    public void ANewBurstEarnsANewTrim()
    {
        var watch = new ActivityWatch();
        watch.ShouldTrim(5);
        Assert.True(watch.ShouldTrim(5));
        Assert.False(watch.ShouldTrim(6));
        Assert.True(watch.ShouldTrim(6));
    }
}
