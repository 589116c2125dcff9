using System.Runtime.InteropServices;

namespace Inference.Native;

/// <summary>
/// A loaded native decoder plugin (<c>libwrapper.so</c> with the ASE loader's C ABI). Every non-zero
/// return becomes a <see cref="WrapperException"/> carrying the plugin's own text (wrapperError).
/// One-shot calls may run concurrently, as the ABI requires of plugins.
/// </summary>
public sealed unsafe class WrapperPlugin : IDisposable
{
    private readonly WrapperLibraryHandle library;
    private int initialized;

    private WrapperPlugin(WrapperLibraryHandle library, WrapperExports exports, string path)
    {
        this.library = library;
        Exports = exports;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Whether the plugin can stream with polling (wrapperRead) and call asynchronously (wrapperExecAsync).</summary>
    public bool SupportsRead => Exports.Read is not null;

    public bool SupportsExecAsync => Exports.ExecAsync is not null;

    public bool SupportsResources => Exports.LoadRes is not null && Exports.UnloadRes is not null;

    internal WrapperExports Exports { get; }

    public static WrapperPlugin Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"native plugin not found: {full}", full);
        }

        var handle = new WrapperLibraryHandle(NativeLibrary.Load(full));
        try
        {
            return new WrapperPlugin(handle, new WrapperExports(handle.DangerousGetHandle(), full), full);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public string Version => Marshal.PtrToStringUTF8((nint)Exports.Version()) ?? "";

    public void Init(IReadOnlyDictionary<string, string> config)
    {
        using var arena = new NativeArena();
        Check("wrapperInit", Exports.Init(arena.Params(config)));
        Interlocked.Exchange(ref initialized, 1);
    }

    /// <summary>The plugin's text for one of its error codes.</summary>
    public string ErrorText(int code) => Marshal.PtrToStringUTF8((nint)Exports.Error(code)) ?? "";

    public IReadOnlyList<WrapperData> Exec(string usrTag, IReadOnlyDictionary<string, string> parameters, IReadOnlyList<WrapperData> data, IReadOnlyList<uint>? resourceIds = null)
    {
        using var arena = new NativeArena();
        var tag = arena.String(usrTag);
        NativeData* response = null;
        var ids = arena.Ids(resourceIds);
        Check("wrapperExec", Exports.Exec(tag, arena.Params(parameters), arena.Data(data), &response, ids, resourceIds?.Count ?? 0));
        try
        {
            return NativeResults.Copy(response);
        }
        finally
        {
            if (response is not null)
            {
                Exports.ExecFree(tag, &response);
            }
        }
    }

    /// <summary>wrapperExecAsync: the result arrives through the callback; the task ends with it.</summary>
    public Task<IReadOnlyList<WrapperData>> ExecAsync(string usrTag, IReadOnlyDictionary<string, string> parameters, IReadOnlyList<WrapperData> data, TimeSpan timeout, IReadOnlyList<uint>? resourceIds = null)
    {
        if (Exports.ExecAsync is null)
        {
            throw new NotSupportedException($"{Path} does not export wrapperExecAsync");
        }

        var completion = new TaskCompletionSource<IReadOnlyList<WrapperData>>(TaskCreationOptions.RunContinuationsAsynchronously);
        WrapperCallbacks.Register(usrTag, (results, ret) =>
        {
            WrapperCallbacks.Unregister(usrTag);
            if (ret != 0)
            {
                completion.TrySetException(new WrapperException("wrapperExecAsync", ret, ErrorText(ret)));
            }
            else
            {
                completion.TrySetResult(results);
            }
        });
        using var arena = new NativeArena();
        var code = Exports.ExecAsync(arena.String(usrTag), arena.Params(parameters), arena.Data(data), WrapperCallbacks.Pointer, (int)timeout.TotalMilliseconds, arena.Ids(resourceIds), resourceIds?.Count ?? 0);
        if (code != 0)
        {
            WrapperCallbacks.Unregister(usrTag);
            throw new WrapperException("wrapperExecAsync", code, ErrorText(code));
        }

        return completion.Task.WaitAsync(timeout);
    }

    public void LoadResource(uint resourceId, WrapperData data)
    {
        if (!SupportsResources)
        {
            throw new NotSupportedException($"{Path} does not export wrapperLoadRes/wrapperUnloadRes");
        }

        using var arena = new NativeArena();
        Check("wrapperLoadRes", Exports.LoadRes(arena.Data([data]), resourceId));
    }

    public void UnloadResource(uint resourceId)
    {
        if (!SupportsResources)
        {
            throw new NotSupportedException($"{Path} does not export wrapperLoadRes/wrapperUnloadRes");
        }

        Check("wrapperUnloadRes", Exports.UnloadRes(resourceId));
    }

    /// <summary>
    /// Opens a streaming session: async (results by callback) or sync (results polled with wrapperRead),
    /// holding up to <paramref name="resultCapacity"/> results for its reader (see <see cref="WrapperSession"/>).
    /// </summary>
    public WrapperSession CreateSession(string usrTag, IReadOnlyDictionary<string, string> parameters, bool asyncMode, IReadOnlyList<uint>? resourceIds = null, int resultCapacity = WrapperSession.DefaultResultCapacity)
    {
        if (!asyncMode && Exports.Read is null)
        {
            throw new NotSupportedException($"{Path} does not export wrapperRead, so its sessions must run in async mode");
        }

        return new WrapperSession(this, usrTag, parameters, asyncMode, resourceIds, resultCapacity);
    }

    public void Fini()
    {
        if (Interlocked.Exchange(ref initialized, 0) == 1)
        {
            Check("wrapperFini", Exports.Fini());
        }
    }

    /// <summary>Calls wrapperFini if Init succeeded, then unloads the library.</summary>
    public void Dispose()
    {
        try
        {
            Fini();
        }
        finally
        {
            library.Dispose();
        }
    }

    internal void Check(string function, int code)
    {
        if (code != 0)
        {
            throw new WrapperException(function, code, ErrorText(code));
        }
    }
}
