using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Inference.Native;

/// <summary>
/// The results of one session on their way to its reader, bounded so that a slow reader cannot make the
/// host buffer without end. The writer sees room while fewer than <see cref="Capacity"/> results wait:
/// sync sessions read from the plugin only then, and a host waits for room before it writes more input.
/// One write can yield several results and an async plugin calls back when it pleases, so a burst may
/// reach twice the capacity; a result beyond that is refused and the session has to fail.
/// </summary>
internal sealed class ResultQueue<T>
{
    private readonly Lock gate = new();
    private readonly Queue<T> items = new();
    private readonly int limit;
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? readable;
    private TaskCompletionSource? room;
    private bool completed;
    private Exception? error;

    public ResultQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        limit = checked(capacity * 2);
        Reader = new QueueReader(this);
    }

    public int Capacity { get; }

    public ChannelReader<T> Reader { get; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>Whether the writer may produce more (fewer than <see cref="Capacity"/> results wait, or the queue is over).</summary>
    public bool HasRoom
    {
        get
        {
            lock (gate)
            {
                return completed || items.Count < Capacity;
            }
        }
    }

    /// <summary>Adds a result; false only when the burst limit is reached. After <see cref="Complete"/> results are dropped.</summary>
    public bool TryAdd(T item)
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            if (completed)
            {
                return true;
            }

            if (items.Count >= limit)
            {
                return false;
            }

            items.Enqueue(item);
            wake = readable;
            readable = null;
        }

        wake?.TrySetResult();
        return true;
    }

    /// <summary>Completes when the writer has room again (or the queue is over).</summary>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Task waiting;
        lock (gate)
        {
            if (completed || items.Count < Capacity)
            {
                return ValueTask.CompletedTask;
            }

            room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = room.Task;
        }

        return new ValueTask(waiting.WaitAsync(cancellationToken));
    }

    /// <summary>No more results: the reader gets what is queued, then the end (or <paramref name="failure"/>).</summary>
    public void Complete(Exception? failure = null)
    {
        TaskCompletionSource? wakeReader, wakeWriter;
        lock (gate)
        {
            if (completed)
            {
                return;
            }

            completed = true;
            error = failure;
            wakeReader = readable;
            wakeWriter = room;
            readable = room = null;
            if (items.Count == 0)
            {
                SetDrained();
            }
        }

        wakeReader?.TrySetResult();
        wakeWriter?.TrySetResult();
    }

    private bool TryTake([MaybeNullWhen(false)] out T item)
    {
        TaskCompletionSource? wakeWriter = null;
        lock (gate)
        {
            if (!items.TryDequeue(out item))
            {
                return false;
            }

            if (items.Count < Capacity)
            {
                wakeWriter = room;
                room = null;
            }

            if (completed && items.Count == 0)
            {
                SetDrained();
            }
        }

        wakeWriter?.TrySetResult();
        return true;
    }

    private ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        Task waiting;
        lock (gate)
        {
            if (items.Count > 0)
            {
                return ValueTask.FromResult(true);
            }

            if (completed)
            {
                return error is null ? ValueTask.FromResult(false) : ValueTask.FromException<bool>(error);
            }

            readable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = readable.Task;
        }

        return WaitThenCheckAsync(waiting, cancellationToken);
    }

    private async ValueTask<bool> WaitThenCheckAsync(Task waiting, CancellationToken cancellationToken)
    {
        await waiting.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await WaitToReadAsync(cancellationToken).ConfigureAwait(false);
    }

    private void SetDrained()
    {
        if (error is null)
        {
            drained.TrySetResult();
        }
        else
        {
            drained.TrySetException(error);
        }
    }

    private sealed class QueueReader(ResultQueue<T> queue) : ChannelReader<T>
    {
        public override bool CanCount => true;

        public override int Count => queue.Count;

        public override Task Completion => queue.drained.Task;

        public override bool TryRead([MaybeNullWhen(false)] out T item) => queue.TryTake(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => queue.WaitToReadAsync(cancellationToken);
    }
}
