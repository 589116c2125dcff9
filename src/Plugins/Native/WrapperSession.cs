using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Inference.Native;

/// <summary>
/// A streaming session of a native plugin. Results, whether polled (sync mode: wrapperRead after each
/// write, until it has nothing more) or called back (async mode), arrive in one channel in the order
/// the plugin produced them; the session is complete after a result with status End or Once.
/// </summary>
public sealed class WrapperSession : IDisposable
{
    private readonly WrapperPlugin plugin;
    private readonly string usrTag;
    private readonly nint tag;
    private readonly bool asyncMode;
    private readonly Channel<WrapperData> results = Channel.CreateUnbounded<WrapperData>();
    private nint handle;

    internal unsafe WrapperSession(WrapperPlugin plugin, string usrTag, IReadOnlyDictionary<string, string> parameters, bool asyncMode, IReadOnlyList<uint>? resourceIds)
    {
        this.plugin = plugin;
        this.usrTag = usrTag;
        this.asyncMode = asyncMode;

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

    /// <summary>Pushes one or more chunks; in sync mode, reads what the plugin has ready right after.</summary>
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

    /// <summary>
    /// Sync mode after the last chunk: polls wrapperRead until a result with status End (or Once)
    /// arrives, as the reference loader does, with a bound on the polls so a broken plugin cannot hang us.
    /// </summary>
    public async Task PollUntilEndAsync(TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!asyncMode && !Completed)
        {
            Poll();
            if (Completed)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no End result from {plugin.Path} within {timeout}");
            }

            await Task.Delay(interval, cancellationToken);
        }
    }

    public bool Completed { get; private set; }

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

    private unsafe void Poll()
    {
        while (true)
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
            results.Writer.TryComplete(new WrapperException("wrapperCallback", ret, plugin.ErrorText(ret)));
            return;
        }

        Publish(data);
    }

    private void Publish(IReadOnlyList<WrapperData> data)
    {
        foreach (var item in data)
        {
            results.Writer.TryWrite(item);
            if (item.Status is WrapperDataStatus.End or WrapperDataStatus.Once)
            {
                Completed = true;
                results.Writer.TryComplete();
            }
        }
    }

    private void Release()
    {
        if (asyncMode)
        {
            WrapperCallbacks.Unregister(usrTag);
        }

        results.Writer.TryComplete();
        Marshal.FreeCoTaskMem(tag);
    }
}
