using Inference.Host.Buffers;

namespace Inference.Host.Tests.Buffers;

public sealed class PooledBufferTests
{
    [Fact]
    public void DisposeReturnsTheArrayToItsPool()
    {
        var pool = new PinnedBufferPool();
        var array = pool.Rent(4096);
        var buffer = new PooledBuffer(pool, array);
        Assert.Same(array, buffer.Array);

        buffer.Dispose();

        Assert.Same(array, pool.Rent(4096));
    }

    [Fact]
    public void DoubleDisposeReturnsOnce()
    {
        var pool = new PinnedBufferPool();
        var array = pool.Rent(4096);
        var buffer = new PooledBuffer(pool, array);

        buffer.Dispose();
        buffer.Dispose();

        // Returned twice, the pool would hand the same array to two renters.
        var first = pool.Rent(4096);
        var second = pool.Rent(4096);
        Assert.Same(array, first);
        Assert.NotSame(array, second);
    }

    [Fact]
    public void ConcurrentDisposeReturnsOnce()
    {
        var pool = new PinnedBufferPool();
        var array = pool.Rent(4096);
        var buffer = new PooledBuffer(pool, array);
        using var start = new Barrier(4);

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            buffer.Dispose();
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var rented = Enumerable.Range(0, 4).Select(_ => pool.Rent(4096)).ToArray();
        Assert.Equal(1, rented.Count(a => ReferenceEquals(a, array)));
    }

    [Fact]
    public void ArrayAfterDisposeThrows()
    {
        var pool = new PinnedBufferPool();
        var buffer = new PooledBuffer(pool, pool.Rent(4096));

        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.Array);
    }
}
