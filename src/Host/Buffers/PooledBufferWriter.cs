using System.Buffers;

namespace Inference.Host.Buffers;

/// <summary>
/// A growable byte buffer like ArrayBufferWriter, taken from a pool and given back on dispose, for
/// what is built per request before it can be sent (the infer response's JSON header, whose length
/// goes in a response header). Buffers grown past <see cref="MaxPooledCapacity"/> are not kept.
/// Dispose exactly once; the written bytes belong to the next user afterwards.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    public const int MaxPooledCapacity = 64 * 1024;
    private const int InitialCapacity = 1024;

    private static readonly ReusePool<PooledBufferWriter> Shared = NewPool(64);

    private ReusePool<PooledBufferWriter> home = Shared;
    private byte[] buffer = new byte[InitialCapacity];
    private int written;
    private int disposed;

    private PooledBufferWriter()
    {
    }

    public int WrittenCount => written;

    public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, written);

    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, written);

    public static PooledBufferWriter Rent() => Rent(Shared);

    /// <summary>A pool of its own (tests); the host's writers share one.</summary>
    internal static ReusePool<PooledBufferWriter> NewPool(int capacity) => new(static () => new PooledBufferWriter(), capacity);

    internal static PooledBufferWriter Rent(ReusePool<PooledBufferWriter> pool)
    {
        var writer = pool.Rent();
        writer.home = pool;
        Volatile.Write(ref writer.disposed, 0);
        return writer;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > buffer.Length - written)
        {
            throw new InvalidOperationException($"cannot advance {count} bytes past the end of the buffer");
        }

        written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return buffer.AsMemory(written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return buffer.AsSpan(written);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        written = 0;
        if (buffer.Length <= MaxPooledCapacity)
        {
            home.Return(this);
        }
    }

    private void Reserve(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var needed = Math.Max(sizeHint, 1);
        if (buffer.Length - written >= needed)
        {
            return;
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Max((long)buffer.Length * 2, (long)written + needed));
        if (size - written < needed)
        {
            throw new OutOfMemoryException($"a buffer of {written + (long)needed} bytes is over the largest array");
        }

        var bigger = GC.AllocateUninitializedArray<byte>(size);
        buffer.AsSpan(0, written).CopyTo(bigger);
        buffer = bigger;
    }
}
