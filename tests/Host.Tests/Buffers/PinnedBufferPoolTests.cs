using System.Reflection;
using System.Runtime.CompilerServices;
using Inference.Host.Buffers;

namespace Inference.Host.Tests.Buffers;

public sealed class PinnedBufferPoolTests
{
    [Fact]
    public void RentedArraysLiveOnThePinnedHeap()
    {
        var pool = new PinnedBufferPool();
        var rented = pool.Rent(100);
        var ordinary = new byte[rented.Length];

        // A fresh 4 KiB array is gen 0 on the small object heap; the pinned object heap reports gen 2.
        Assert.Equal(0, GC.GetGeneration(ordinary));
        Assert.Equal(2, GC.GetGeneration(rented));
    }

    [Fact]
    public unsafe void RentedArraysDoNotMoveInACompactingCollection()
    {
        var pool = new PinnedBufferPool();
        var garbage = new object[2000];
        for (var i = 0; i < garbage.Length; i++)
        {
            garbage[i] = new byte[64];
        }

        var rented = pool.Rent(4096);
        var before = (nint)Unsafe.AsPointer(ref rented[0]);
        garbage = null;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        Assert.Equal(before, (nint)Unsafe.AsPointer(ref rented[0]));
    }

    [Theory]
    [InlineData(0, 4096)]
    [InlineData(1, 4096)]
    [InlineData(4095, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 8192)]
    [InlineData(5000, 8192)]
    [InlineData(65536, 65536)]
    [InlineData(65537, 131072)]
    [InlineData(1_000_000, 1_048_576)]
    public void RentGivesAPowerOfTwoOfAtLeastTheRequestedSize(int requested, int expectedLength)
    {
        var array = new PinnedBufferPool().Rent(requested);

        Assert.Equal(expectedLength, array.Length);
    }

    [Fact]
    public void ReturnedArraysAreReusedForTheSameSizeClass()
    {
        var pool = new PinnedBufferPool();
        var a = pool.Rent(5000);
        pool.Return(a);

        var b = pool.Rent(8192);
        pool.Return(b);
        var c = pool.Rent(4097);

        Assert.Same(a, b);
        Assert.Same(a, c);
    }

    [Fact]
    public void SizeClassesAreKeptApart()
    {
        var pool = new PinnedBufferPool();
        var large = pool.Rent(8192);
        pool.Return(large);

        var small = pool.Rent(4096);

        Assert.NotSame(large, small);
        Assert.Equal(4096, small.Length);
        Assert.Same(large, pool.Rent(8192));
    }

    [Fact]
    public void ArraysNotFromABucketAreNotPooled()
    {
        var pool = new PinnedBufferPool();
        var odd = new byte[5000];
        var tiny = new byte[2048];
        pool.Return(odd);
        pool.Return(tiny);

        Assert.NotSame(odd, pool.Rent(5000));
        var small = pool.Rent(2048);
        Assert.NotSame(tiny, small);
        Assert.Equal(4096, small.Length);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4096, 0)]
    [InlineData(4097, 1)]
    [InlineData(1 << 20, 8)]
    [InlineData(1 << 28, 16)]
    [InlineData((1 << 28) + 1, -1)]
    [InlineData(int.MaxValue, -1)]
    public void OnlySizesUpTo256MiBHaveABucket(int length, int expectedBucket)
    {
        // The size classes are checked without allocating: above 256 MiB arrays are allocated exactly
        // and dropped on return.
        var bucketOf = typeof(PinnedBufferPool).GetMethod("BucketOf", BindingFlags.NonPublic | BindingFlags.Static);
        Assert.NotNull(bucketOf);

        Assert.Equal(expectedBucket, (int)bucketOf.Invoke(null, [length])!);
    }

    [Fact]
    public void EachSizeClassRetainsAtMostItsByteBudget()
    {
        // 3 * 8 KiB of budget: the 8 KiB class keeps three arrays, the fourth is dropped.
        var pool = new PinnedBufferPool(maxRetainedBytesPerBucket: 3 * 8192);
        var rented = Enumerable.Range(0, 4).Select(_ => pool.Rent(8192)).ToArray();
        foreach (var array in rented)
        {
            pool.Return(array);
        }

        var again = Enumerable.Range(0, 4).Select(_ => pool.Rent(8192)).ToArray();

        Assert.Equal(3, again.Count(a => rented.Contains(a)));
    }

    [Fact]
    public void EachSizeClassRetainsAtLeastTwo()
    {
        var pool = new PinnedBufferPool(maxRetainedBytesPerBucket: 0);
        var rented = Enumerable.Range(0, 3).Select(_ => pool.Rent(4096)).ToArray();
        foreach (var array in rented)
        {
            pool.Return(array);
        }

        var again = Enumerable.Range(0, 3).Select(_ => pool.Rent(4096)).ToArray();

        Assert.Equal(2, again.Count(a => rented.Contains(a)));
    }

    [Fact]
    public void RetainedCountFollowsRentsAndReturns()
    {
        // With room for only two, the count must go down on every rent, or reuse would stop.
        var pool = new PinnedBufferPool(maxRetainedBytesPerBucket: 0);
        var first = pool.Rent(4096);
        for (var i = 0; i < 100; i++)
        {
            pool.Return(first);
            Assert.Same(first, pool.Rent(4096));
        }
    }

    [Fact]
    public void ConcurrentRentersNeverShareAnArray()
    {
        var pool = new PinnedBufferPool();
        var conflicts = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var array = pool.Rent(4096);
                array[0] = (byte)worker;
                array[4095] = (byte)i;
                Thread.SpinWait(20);
                if (array[0] != (byte)worker || array[4095] != (byte)i)
                {
                    Interlocked.Increment(ref conflicts);
                }

                pool.Return(array);
            }
        });

        Assert.Equal(0, conflicts);
    }

    [Fact]
    public void PoolProbeNoticesAnArrayThatIsKept()
    {
        // The leak check the decoder tests rely on must be able to fail.
        var probe = new PoolProbe();
        var kept = probe.Pool.Rent(PoolProbe.Size);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(probe.AssertAllReturned);

        probe.Pool.Return(kept);
    }
}
