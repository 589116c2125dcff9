using System.Buffers;
using Inference.Host.Buffers;

namespace Inference.Host.Tests.Buffers;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void WritesGrowPastTheInitialSizeAndKeepEveryByte()
    {
        using var writer = PooledBufferWriter.Rent(PooledBufferWriter.NewPool(1));
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

        writer.Write(data.AsSpan(0, 10));
        writer.Write(data.AsSpan(10));

        Assert.Equal(5000, writer.WrittenCount);
        Assert.Equal(data, writer.WrittenSpan.ToArray());
        Assert.Equal(data, writer.WrittenMemory.ToArray());
    }

    [Fact]
    public void ADisposedWriterIsReusedEmpty()
    {
        var pool = PooledBufferWriter.NewPool(1);
        var first = PooledBufferWriter.Rent(pool);
        first.Write("secret"u8);
        first.Dispose();

        using var second = PooledBufferWriter.Rent(pool);

        Assert.Same(first, second);
        Assert.Equal(0, second.WrittenCount);
        second.Write("ok"u8);
        Assert.Equal("ok"u8.ToArray(), second.WrittenSpan.ToArray());
    }

    [Fact]
    public void DoubleDisposeReturnsOnce()
    {
        var pool = PooledBufferWriter.NewPool(2);
        var writer = PooledBufferWriter.Rent(pool);

        writer.Dispose();
        writer.Dispose();

        // Returned twice, two renters would share one buffer.
        using var a = PooledBufferWriter.Rent(pool);
        using var b = PooledBufferWriter.Rent(pool);
        Assert.NotSame(a, b);
    }

    [Fact]
    public void AWriterGrownPastTheCapIsNotKept()
    {
        var pool = PooledBufferWriter.NewPool(1);
        var big = PooledBufferWriter.Rent(pool);
        big.GetSpan(PooledBufferWriter.MaxPooledCapacity + 1);
        big.Advance(1);
        big.Dispose();

        using var next = PooledBufferWriter.Rent(pool);

        Assert.NotSame(big, next);
    }

    [Fact]
    public void AdvancingPastTheBufferThrows()
    {
        using var writer = PooledBufferWriter.Rent(PooledBufferWriter.NewPool(1));
        var length = writer.GetSpan(8).Length;

        Assert.Throws<InvalidOperationException>(() => writer.Advance(length + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
    }
}
