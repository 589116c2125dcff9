using Inference.Host.Buffers;

namespace Inference.Host.Transport.Http;

/// <summary>
/// A whole request body in a pooled pinned buffer, at <see cref="Offset"/>. Dispose gives the buffer
/// back to its pool and this object back to its own pool, so a request costs no allocation here:
/// dispose it exactly once and do not touch it afterwards (a later request may be using it).
/// </summary>
public sealed class RequestBody : IDisposable
{
    private static readonly ReusePool<RequestBody> Shared = NewPool(64);

    private ReusePool<RequestBody> home = Shared;
    private PinnedBufferPool? pool;
    private byte[]? array;

    private RequestBody()
    {
    }

    public byte[] Array => array ?? throw new ObjectDisposedException(nameof(RequestBody));

    public int Offset { get; private set; }

    public int Length { get; private set; }

    /// <summary>A pool of bodies of its own (tests); the host's bodies share one.</summary>
    internal static ReusePool<RequestBody> NewPool(int capacity) => new(static () => new RequestBody(), capacity);

    /// <summary>Takes ownership of <paramref name="rented"/>, an array rented from <paramref name="owner"/>.</summary>
    internal static RequestBody Create(PinnedBufferPool owner, byte[] rented, int offset, int length, ReusePool<RequestBody>? bodies = null)
    {
        bodies ??= Shared;
        var body = bodies.Rent();
        body.home = bodies;
        body.pool = owner;
        body.Offset = offset;
        body.Length = length;
        Volatile.Write(ref body.array, rented);
        return body;
    }

    public void Dispose()
    {
        var toReturn = Interlocked.Exchange(ref array, null);
        if (toReturn is null)
        {
            return;
        }

        var owner = pool!;
        pool = null;
        Offset = 0;
        Length = 0;
        owner.Return(toReturn);
        home.Return(this);
    }
}
