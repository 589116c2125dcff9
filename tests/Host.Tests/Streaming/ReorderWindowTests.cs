using Inference.Host.Streaming;

namespace Inference.Host.Tests.Streaming;

public sealed class ReorderWindowTests
{
    [Fact]
    public void TheNextItemIsHandedBackAtOnceAndNeverStored()
    {
        var window = new ReorderWindow<string>(4);

        Assert.Equal(ReorderOutcome.InOrder, window.Offer(1, "a"));
        Assert.Equal(ReorderOutcome.InOrder, window.Offer(2, "b"));

        Assert.Equal(3, window.Next);
        Assert.Equal(0, window.Held);
        Assert.False(window.TryTake(out _));
    }

    [Fact]
    public void EarlyItemsWaitAndComeOutInOrderOnceTheGapFills()
    {
        var window = new ReorderWindow<string>(4);

        Assert.Equal(ReorderOutcome.Held, window.Offer(4, "d"));
        Assert.Equal(ReorderOutcome.Held, window.Offer(2, "b"));
        Assert.False(window.TryTake(out _)); // 1 is missing
        Assert.Equal(ReorderOutcome.InOrder, window.Offer(1, "a"));
        var taken = new List<string>();
        while (window.TryTake(out var item))
        {
            taken.Add(item);
        }

        Assert.Equal(["b"], taken); // 3 is still missing, so 4 waits
        Assert.Equal(ReorderOutcome.InOrder, window.Offer(3, "c"));
        Assert.True(window.TryTake(out var last));
        Assert.Equal("d", last);
        Assert.Equal((5, 0), (window.Next, window.Held));
    }

    [Fact]
    public void ANumberSeenBeforeIsADuplicateWhetherDeliveredOrHeld()
    {
        var window = new ReorderWindow<string>(4);
        window.Offer(1, "a");
        window.Offer(3, "c");

        Assert.Equal(ReorderOutcome.Duplicate, window.Offer(1, "again"));
        Assert.Equal(ReorderOutcome.Duplicate, window.Offer(3, "again"));
        Assert.Equal(ReorderOutcome.Duplicate, window.Offer(0, "before the first"));
    }

    [Fact]
    public void ANumberAWindowOrMoreAheadIsRefused()
    {
        var window = new ReorderWindow<int>(3);

        Assert.Equal(ReorderOutcome.BeyondWindow, window.Offer(4, 4)); // next is 1: 1..3 fit
        Assert.Equal(ReorderOutcome.Held, window.Offer(3, 3));
    }

    [Fact]
    public void TheRingWrapsAroundOverALongStream()
    {
        var window = new ReorderWindow<int>(3);
        var delivered = new List<int>();

        // Every pair swapped: 2 1 4 3 6 5 ...
        for (var n = 1; n < 200; n += 2)
        {
            Assert.Equal(ReorderOutcome.Held, window.Offer(n + 1, n + 1));
            Assert.Equal(ReorderOutcome.InOrder, window.Offer(n, n));
            delivered.Add(n);
            while (window.TryTake(out var item))
            {
                delivered.Add(item);
            }
        }

        Assert.Equal(Enumerable.Range(1, 200), delivered);
        Assert.Equal(0, window.Held);
    }

    [Fact]
    public void AWindowOfOneTakesOnlyTheNext()
    {
        var window = new ReorderWindow<int>(1);

        Assert.Equal(ReorderOutcome.BeyondWindow, window.Offer(2, 2));
        Assert.Equal(ReorderOutcome.InOrder, window.Offer(1, 1));
        Assert.Equal(ReorderOutcome.InOrder, window.Offer(2, 2));
    }
}
