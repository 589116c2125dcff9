using Inference.Host.Protocol.Oip;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class BoxCacheTests
{
    [Fact]
    public void ARepeatedValueGetsTheSameBox()
    {
        var boxes = new BoxCache();

        var first = boxes.Of(64L);
        var second = boxes.Of(64L);
        var other = boxes.Of(65L);

        Assert.Same(first, second);
        Assert.Equal(64L, first);
        Assert.Equal(65L, other);
    }

    [Fact]
    public void PastItsCapacityValuesAreStillRight()
    {
        var boxes = new BoxCache();
        for (long i = 0; i < 50; i++)
        {
            Assert.Equal(i, boxes.Of(i));
        }

        Assert.Same(BoxCache.Of(true), BoxCache.Of(true));
        Assert.Equal(true, BoxCache.Of(true));
        Assert.Equal(false, BoxCache.Of(false));
    }
}
