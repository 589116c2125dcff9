using System.Runtime.InteropServices;

namespace Inference.Native;

/// <summary>
/// The plugin's exported functions. Init, Fini, Error, Version, Create, Write, Destroy, Exec and
/// ExecFree are required; SetCtrl, LoadRes, UnloadRes, Read, ExecAsync and DebugInfo are optional
/// (null when absent), unlike the reference loader, which refuses a plugin missing any of them.
/// </summary>
internal sealed unsafe class WrapperExports
{
    public static readonly string[] Required =
        ["wrapperInit", "wrapperFini", "wrapperError", "wrapperVersion", "wrapperCreate", "wrapperWrite", "wrapperDestroy", "wrapperExec", "wrapperExecFree"];

    public delegate* unmanaged[Cdecl]<int, void*, int> SetCtrl;
    public delegate* unmanaged[Cdecl]<NativeParam*, int> Init;
    public delegate* unmanaged[Cdecl]<int> Fini;
    public delegate* unmanaged[Cdecl]<int, byte*> Error;
    public delegate* unmanaged[Cdecl]<byte*> Version;
    public delegate* unmanaged[Cdecl]<NativeData*, uint, int> LoadRes;
    public delegate* unmanaged[Cdecl]<uint, int> UnloadRes;
    public delegate* unmanaged[Cdecl]<byte*, NativeParam*, void*, uint*, int, int*, void*> Create;
    public delegate* unmanaged[Cdecl]<void*, NativeData*, int> Write;
    public delegate* unmanaged[Cdecl]<void*, NativeData**, int> Read;
    public delegate* unmanaged[Cdecl]<void*, int> Destroy;
    public delegate* unmanaged[Cdecl]<byte*, NativeParam*, NativeData*, NativeData**, uint*, int, int> Exec;
    public delegate* unmanaged[Cdecl]<byte*, NativeData**, int> ExecFree;
    public delegate* unmanaged[Cdecl]<byte*, NativeParam*, NativeData*, void*, int, uint*, int, int> ExecAsync;
    public delegate* unmanaged[Cdecl]<void*, byte*> DebugInfo;

    public WrapperExports(nint library, string path)
    {
        var missing = Required.Where(name => !NativeLibrary.TryGetExport(library, name, out _)).ToList();
        if (missing.Count > 0)
        {
            throw new EntryPointNotFoundException($"{path} is not a complete ASE wrapper plugin: it does not export {string.Join(", ", missing)}");
        }

        SetCtrl = (delegate* unmanaged[Cdecl]<int, void*, int>)Find(library, "wrapperSetCtrl");
        Init = (delegate* unmanaged[Cdecl]<NativeParam*, int>)Find(library, "wrapperInit");
        Fini = (delegate* unmanaged[Cdecl]<int>)Find(library, "wrapperFini");
        Error = (delegate* unmanaged[Cdecl]<int, byte*>)Find(library, "wrapperError");
        Version = (delegate* unmanaged[Cdecl]<byte*>)Find(library, "wrapperVersion");
        LoadRes = (delegate* unmanaged[Cdecl]<NativeData*, uint, int>)Find(library, "wrapperLoadRes");
        UnloadRes = (delegate* unmanaged[Cdecl]<uint, int>)Find(library, "wrapperUnloadRes");
        Create = (delegate* unmanaged[Cdecl]<byte*, NativeParam*, void*, uint*, int, int*, void*>)Find(library, "wrapperCreate");
        Write = (delegate* unmanaged[Cdecl]<void*, NativeData*, int>)Find(library, "wrapperWrite");
        Read = (delegate* unmanaged[Cdecl]<void*, NativeData**, int>)Find(library, "wrapperRead");
        Destroy = (delegate* unmanaged[Cdecl]<void*, int>)Find(library, "wrapperDestroy");
        Exec = (delegate* unmanaged[Cdecl]<byte*, NativeParam*, NativeData*, NativeData**, uint*, int, int>)Find(library, "wrapperExec");
        ExecFree = (delegate* unmanaged[Cdecl]<byte*, NativeData**, int>)Find(library, "wrapperExecFree");
        ExecAsync = (delegate* unmanaged[Cdecl]<byte*, NativeParam*, NativeData*, void*, int, uint*, int, int>)Find(library, "wrapperExecAsync");
        DebugInfo = (delegate* unmanaged[Cdecl]<void*, byte*>)Find(library, "wrapperDebugInfo");
    }

    private static void* Find(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address) ? (void*)address : null;
}
