using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Inference.Native;

/// <summary>
/// A streaming session of a native plugin. Results, whether polled (sync mode: wrapperRead after each
/// write, while there is room) or called back (async mode), arrive in one bounded queue in the order
/// the plugin produced them; the session is complete after a result with status End or Once.
/// </summary>
/// <remarks>
/// The queue holds <c>resultCapacity</c> results before the writer side sees it full. A sync session then
/// leaves further results in the plugin until the next write or poll, so a slow reader stops the reads
/// (and a host that waits for <see cref="WaitForRoomAsync"/> stops the writes) instead of growing a buffer.
/// An async plugin cannot be held back from its own thread without stalling its other sessions: a burst
/// past twice the capacity fails the session with <see cref="ResultOverflowException"/>.
/// Write, Poll and PollUntilEndAsync must not run concurrently (plugins serve one call per session at a time).
/// </remarks>
public sealed class WrapperSession : IDisposable
{
    public const int DefaultResultCapacity = 64;

    private readonly WrapperPlugin plugin;
    private readonly string usrTag;
    private readonly nint tag;
    private readonly bool asyncMode;
    private readonly ResultQueue<WrapperData> results;
    private nint handle;
    private volatile bool completed;

    internal unsafe WrapperSession(WrapperPlugin plugin, string usrTag, IReadOnlyDictionary<string, string> parameters, bool asyncMode, IReadOnlyList<uint>? resourceIds, int resultCapacity)
    {
        this.plugin = plugin;
        this.usrTag = usrTag;
        this.asyncMode = asyncMode;
        results = new ResultQueue<WrapperData>(resultCapacity);

        // The tag must outlive the session: a plugin may keep the pointer it was given.
        tag = Marshal.StringToCoTaskMemUTF8(usrTag);
        if (asyncMode)
        {
            WrapperCallbacks.Register(usrTag, OnCallback);
        }

        using var arena = new NativeArena();
        int error;
        handle = (nint)plugin.Exports.Create((byte*)tag, arena.Params(parameters), asyncMode ? WrapperCallbacks.Pointer : null, arena.Ids(resourceIds), resourceIds?.Count ?? 0, &error);
        if (handle == 0 || error != 0)
        {
            Release();
            throw new WrapperException("wrapperCreate", error, plugin.ErrorText(error));
        }
    }

    public ChannelReader<WrapperData> Results => results.Reader;

    public bool IsAsync => asyncMode;

    /// <summary>Results this session holds before it stops reading from the plugin.</summary>
    public int ResultCapacity => results.Capacity;

    /// <summary>Pushes one or more chunks; in sync mode, reads what the plugin has ready right after (while there is room).</summary>
    public unsafe void Write(IReadOnlyList<WrapperData> chunks)
    {
        using (var arena = new NativeArena())
        {
            plugin.Check("wrapperWrite", plugin.Exports.Write((void*)Handle, arena.Data(chunks)));
        }

        if (!asyncMode)
        {
            Poll();
        }
    }

    /// <summary>Completes when fewer results than the capacity wait for the reader (or the session is over).</summary>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken = default) => results.WaitForRoomAsync(cancellationToken);

    /// <summary>
    /// Sync mode after the last chunk: polls wrapperRead until a result with status End (or Once)
    /// arrives, as the reference loader does, waiting for room whenever the reader is behind. Bounded by
    /// <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: only by the token) so a broken plugin cannot hang us.
    /// </summary>
    public async Task PollUntilEndAsync(TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + timeout;
        while (!asyncMode && !Completed)
        {
            await results.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            Poll();
            if (Completed)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no End result from {plugin.Path} within {timeout}");
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    public bool Completed => completed;

    /// <summary>The plugin's debug text for this session (wrapperDebugInfo), if it has one.</summary>
    public unsafe string? DebugInfo => plugin.Exports.DebugInfo is null ? null : Marshal.PtrToStringUTF8((nint)plugin.Exports.DebugInfo((void*)Handle));

    public unsafe void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, 0);
        if (h != 0)
        {
            try
            {
                plugin.Check("wrapperDestroy", plugin.Exports.Destroy((void*)h));
            }
            finally
            {
                Release();
            }
        }
    }

    private nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(WrapperSession));

    /// <summary>Sync mode: reads while the plugin has results and the queue has room; the rest stay in the plugin.</summary>
    private unsafe void Poll()
    {
        while (!completed && results.HasRoom)
        {
            NativeData* response = null;
            plugin.Check("wrapperRead", plugin.Exports.Read((void*)Handle, &response));
            if (response is null)
            {
                return;
            }

            Publish(NativeResults.Copy(response));
        }
    }

    private void OnCallback(IReadOnlyList<WrapperData> data, int ret)
    {
        if (ret != 0)
        {
            results.Complete(new WrapperException("wrapperCallback", ret, plugin.ErrorText(ret)));
            return;
        }

        Publish(data);
    }

    private void Publish(IReadOnlyList<WrapperData> data)
    {
        foreach (var item in data)
        {
            if (completed)
            {
                return; // nothing after the end is part of the stream
            }

            if (!results.TryAdd(item))
            {
                results.Complete(new ResultOverflowException(results.Capacity * 2));
                return;
            }

            if (item.Status is WrapperDataStatus.End or WrapperDataStatus.Once)
            {
                completed = true;
                results.Complete();
            }
        }
    }

    private void Release()
    {
        if (asyncMode)
        {
            WrapperCallbacks.Unregister(usrTag);
        }

        results.Complete();
        Marshal.FreeCoTaskMem(tag);
    }
}
