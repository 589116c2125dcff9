using Inference.Host.Buffers;
using Inference.Host.Transport.Http;

namespace Inference.Host.Tests.Transport.Http;

public sealed class RequestBodyTests
{
    [Fact]
    public void DisposeGivesTheArrayBackOnceAndTheBodyIsReused()
    {
        var arrays = new PinnedBufferPool();
        var bodies = RequestBody.NewPool(1);
        var array = arrays.Rent(4096);
        var body = RequestBody.Create(arrays, array, 64, 100, bodies);
        Assert.Same(array, body.Array);
        Assert.Equal(64, body.Offset);
        Assert.Equal(100, body.Length);

        body.Dispose();
        body.Dispose();

        Assert.Throws<ObjectDisposedException>(() => body.Array);
        var first = arrays.Rent(4096);
        var second = arrays.Rent(4096);
        Assert.Same(array, first);
        Assert.NotSame(array, second);

        var next = RequestBody.Create(arrays, second, 0, 7, bodies);
        Assert.Same(body, next);
        Assert.Same(second, next.Array);
        Assert.Equal(0, next.Offset);
        Assert.Equal(7, next.Length);
        next.Dispose();
    }
}
