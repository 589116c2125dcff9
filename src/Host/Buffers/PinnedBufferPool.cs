using System.Collections.Concurrent;
using System.Numerics;

namespace Inference.Host.Buffers;

/// <summary>
/// Arrays on the pinned object heap, pooled by power-of-two size. Request bodies and decoded tensors
/// live in them so that ORT can read them in place (zero copy) with no pinning per request, and so
/// that large tensors do not churn the large object heap. Like Kestrel's pinned block pool, but with
/// several sizes, since tensors range from bytes to hundreds of megabytes.
/// </summary>
public sealed class PinnedBufferPool
{
    private const int MinShift = 12;   // 4 KiB
    private const int MaxShift = 28;   // 256 MiB: larger buffers are allocated and dropped, not pooled

    private readonly ConcurrentBag<byte[]>[] buckets = new ConcurrentBag<byte[]>[MaxShift - MinShift + 1];
    private readonly int[] counts = new int[MaxShift - MinShift + 1];
    private readonly long maxRetainedBytesPerBucket;

    public PinnedBufferPool(long maxRetainedBytesPerBucket = 64L << 20)
    {
        this.maxRetainedBytesPerBucket = maxRetainedBytesPerBucket;
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = [];
        }
    }

    public static PinnedBufferPool Shared { get; } = new();

    /// <summary>A pinned array of at least <paramref name="minimumLength"/> bytes (contents undefined).</summary>
    public byte[] Rent(int minimumLength)
    {
        var bucket = BucketOf(minimumLength);
        if (bucket < 0)
        {
            return GC.AllocateUninitializedArray<byte>(minimumLength, pinned: true);
        }

        if (buckets[bucket].TryTake(out var array))
        {
            Interlocked.Decrement(ref counts[bucket]);
            return array;
        }

        return GC.AllocateUninitializedArray<byte>(1 << (bucket + MinShift), pinned: true);
    }

    /// <summary>Returns an array from <see cref="Rent"/>; it must not be used afterwards.</summary>
    public void Return(byte[] array)
    {
        var length = array.Length;
        if (!BitOperations.IsPow2(length))
        {
            return;
        }

        var bucket = BitOperations.Log2((uint)length) - MinShift;
        if (bucket < 0 || bucket >= buckets.Length)
        {
            return;
        }

        // Cap what each size keeps so a burst of huge tensors does not stay resident forever.
        var maxCount = Math.Max(2, maxRetainedBytesPerBucket / length);
        if (Interlocked.Increment(ref counts[bucket]) > maxCount)
        {
            Interlocked.Decrement(ref counts[bucket]);
            return;
        }

        buckets[bucket].Add(array);
    }

    /// <summary>Drops every retained array (after a load peak); returns their bytes. Rented arrays are not affected.</summary>
    public long Trim()
    {
        long released = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            while (buckets[i].TryTake(out var array))
            {
                Interlocked.Decrement(ref counts[i]);
                released += array.Length;
            }
        }

        return released;
    }

    private static int BucketOf(int length)
    {
        var shift = length <= 1 << MinShift ? MinShift : BitOperations.Log2((uint)length - 1) + 1;
        return shift > MaxShift ? -1 : shift - MinShift;
    }
}
