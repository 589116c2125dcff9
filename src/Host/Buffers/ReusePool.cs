namespace Inference.Host.Buffers;

/// <summary>
/// A small lock-free pool of reusable per-request objects: a fixed array of slots, taken and given
/// back with one compare-exchange each, so renting and returning never allocate. When every slot is
/// full a returned object is dropped for the GC; when every slot is empty a new one is made.
/// </summary>
/// <remarks>
/// The slots are scanned from a start that rotates per call so that concurrent renters spread over
/// the array instead of all fighting over slot 0.
/// </remarks>
public sealed class ReusePool<T>(Func<T> create, int capacity)
    where T : class
{
    private readonly T?[] slots = new T?[capacity];
    private readonly Func<T> create = create;
    private int next;
    private int created;

    /// <summary>Objects made because the pool was empty (for tests and diagnostics).</summary>
    public int Created => Volatile.Read(ref created);

    /// <summary>A pooled object, or a new one when the pool holds none.</summary>
    public T Rent()
    {
        var start = (int)((uint)Interlocked.Increment(ref next) % (uint)slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var index = start + i;
            if (index >= slots.Length)
            {
                index -= slots.Length;
            }

            var item = Volatile.Read(ref slots[index]);
            if (item is not null && Interlocked.CompareExchange(ref slots[index], null, item) == item)
            {
                return item;
            }
        }

        Interlocked.Increment(ref created);
        return create();
    }

    /// <summary>Gives an object back; the caller must not touch it afterwards.</summary>
    public void Return(T item)
    {
        var start = (int)((uint)Volatile.Read(ref next) % (uint)slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var index = start + i;
            if (index >= slots.Length)
            {
                index -= slots.Length;
            }

            if (Volatile.Read(ref slots[index]) is null && Interlocked.CompareExchange(ref slots[index], item, null) is null)
            {
                return;
            }
        }
    }
}
