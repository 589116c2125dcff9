namespace Inference.Host.Streaming;

/// <summary>
/// Puts numbered items back in order within a bounded window, as the ASE loader does for a stream's
/// chunks. The item expected next is handed back at once (never stored); one up to <c>size - 1</c> ahead
/// waits in a ring until the gap before it fills; a number already seen is a duplicate and one further
/// ahead is refused, so a session holds at most <c>size - 1</c> items. The ring is allocated only when
/// an item first arrives out of order.
/// </summary>
public sealed class ReorderWindow<T>
{
    private readonly int size;
    private Slot[]? slots;
    private long next;

    public ReorderWindow(int size, long first = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        this.size = size;
        next = first;
    }

    /// <summary>The number expected next.</summary>
    public long Next => next;

    /// <summary>Items waiting for a gap to fill.</summary>
    public int Held { get; private set; }

    public int Size => size;

    public ReorderOutcome Offer(long number, T item)
    {
        if (number < next)
        {
            return ReorderOutcome.Duplicate;
        }

        if (number - next >= size)
        {
            return ReorderOutcome.BeyondWindow;
        }

        if (number == next)
        {
            next++;
            return ReorderOutcome.InOrder;
        }

        slots ??= new Slot[size];
        ref var slot = ref slots[(int)(number % size)];
        if (slot.Filled)
        {
            return ReorderOutcome.Duplicate;
        }

        slot = new Slot(true, item);
        Held++;
        return ReorderOutcome.Held;
    }

    /// <summary>Takes the next item if it is held (it came early and its turn has come).</summary>
    public bool TryTake(out T item)
    {
        if (Held > 0)
        {
            ref var slot = ref slots![(int)(next % size)];
            if (slot.Filled)
            {
                item = slot.Item;
                slot = default;
                Held--;
                next++;
                return true;
            }
        }

        item = default!;
        return false;
    }

    private record struct Slot(bool Filled, T Item);
}
