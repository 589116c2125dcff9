using Inference.Host.Streaming;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Streaming;

public sealed class StreamDeadlinesTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly ManualTimeProvider clock = new();
    private readonly List<StreamExpiry> expired = [];

    [Fact]
    public void QuietForTheIdleTimeoutExpiresOnce()
    {
        using var deadlines = new StreamDeadlines(clock, Idle, Lifetime, expired.Add);

        clock.Advance(Idle - TimeSpan.FromTicks(1));
        Assert.Empty(expired);
        clock.Advance(TimeSpan.FromTicks(1));
        clock.Advance(Idle * 3);

        Assert.Equal([StreamExpiry.Idle], expired);
    }

    [Fact]
    public void ActivityStartsTheIdleClockAgain()
    {
        using var deadlines = new StreamDeadlines(clock, Idle, Lifetime, expired.Add);

        clock.Advance(TimeSpan.FromSeconds(8));
        deadlines.Touch();
        clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Empty(expired); // 16 s in, but only 8 quiet
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([StreamExpiry.Idle], expired);
    }

    [Fact]
    public void ABusySessionStillEndsAtItsLifetime()
    {
        using var deadlines = new StreamDeadlines(clock, Idle, Lifetime, expired.Add);

        for (var i = 0; i < 11; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            deadlines.Touch();
        }

        Assert.Empty(expired);
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([StreamExpiry.Lifetime], expired);
    }

    [Fact]
    public void NothingFiresOnceDisposed()
    {
        var deadlines = new StreamDeadlines(clock, Idle, Lifetime, expired.Add);
        deadlines.Dispose();

        clock.Advance(Lifetime * 2);

        Assert.Empty(expired);
    }
}
