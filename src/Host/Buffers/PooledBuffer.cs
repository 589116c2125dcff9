namespace Inference.Host.Buffers;

/// <summary>
/// A rented pinned array that goes back to its pool on dispose. Used as the owner of an OrtValue
/// that wraps it, so the memory returns only after ORT has released the value.
/// </summary>
public sealed class PooledBuffer(PinnedBufferPool pool, byte[] array) : IDisposable
{
    private byte[]? array = array;

    public byte[] Array => array ?? throw new ObjectDisposedException(nameof(PooledBuffer));

    public void Dispose()
    {
        var toReturn = Interlocked.Exchange(ref array, null);
        if (toReturn is not null)
        {
            pool.Return(toReturn);
        }
    }
}
