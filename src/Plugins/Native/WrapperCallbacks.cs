using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Inference.Native;

/// <summary>
/// The one native callback every plugin gets (<c>wrapperCallback</c>). Plugins call back with the
/// usrTag the host gave them (sometimes a copy of its text, never guaranteed to be the same pointer),
/// so results are routed by the tag's text to whoever registered it. Data is copied out before returning.
/// </summary>
internal static unsafe class WrapperCallbacks
{
    private static readonly ConcurrentDictionary<string, Action<IReadOnlyList<WrapperData>, int>> Targets = new(StringComparer.Ordinal);

    public static void* Pointer => (delegate* unmanaged[Cdecl]<void*, NativeData*, int, int>)&OnResult;

    public static void Register(string usrTag, Action<IReadOnlyList<WrapperData>, int> target) => Targets[usrTag] = target;

    public static void Unregister(string usrTag) => Targets.TryRemove(usrTag, out _);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnResult(void* usrTag, NativeData* respData, int ret)
    {
        try
        {
            var tag = usrTag is null ? "" : Marshal.PtrToStringUTF8((nint)usrTag) ?? "";
            if (!Targets.TryGetValue(tag, out var target))
            {
                return -1;
            }

            target(NativeResults.Copy(respData), ret);
            return 0;
        }
        catch
        {
            // Never let an exception cross into the plugin.
            return -1;
        }
    }
}
