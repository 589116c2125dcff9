using System.Runtime.InteropServices;

namespace Inference.Native;

/// <summary>The ABI's <c>DataList</c> node: key, data, len, type, status, desc, next (48 bytes on x86-64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeData
{
    public byte* Key;
    public void* Data;
    public uint Length;
    public WrapperDataType Type;
    public WrapperDataStatus Status;
    public NativeParam* Desc;
    public NativeData* Next;
}
