using Inference.Host.Buffers;
using Inference.Host.Memory;

namespace Inference.Host.Tests.Memory;

public sealed class MemoryTrimTests
{
    [Fact]
    public void ItDropsThePooledBuffersAndDecommitsTheGarbageOfAPeak()
    {
        var pool = new PinnedBufferPool();
        var pooled = Enumerable.Range(0, 4).Select(_ => pool.Rent(1 << 20)).ToList();
        pooled.ForEach(pool.Return);
        Peak();

        var result = MemoryTrim.Run(pool);

        Assert.Equal(4L << 20, result.PooledBytesReleased);
        var fresh = pool.Rent(1 << 20);
        Assert.DoesNotContain(pooled, p => ReferenceEquals(p, fresh)); // the pool kept none of them
        Assert.True(result.CommittedAfter < result.CommittedBefore, $"committed {result.CommittedBefore} -> {result.CommittedAfter}");
        Assert.True(result.ResidentAfter > 0);
        Assert.Equal(OperatingSystem.IsLinux(), result.NativeHeapTrimmed);
    }

    /// <summary>256 MiB of large arrays, alive long enough to grow the heap, then garbage.</summary>
    private static void Peak()
    {
        var held = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            var array = new byte[4 << 20];
            array.AsSpan().Fill(1);
            held.Add(array);
        }

        GC.KeepAlive(held);
    }
}
