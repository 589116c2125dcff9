using System.Runtime.InteropServices;

namespace Inference.Native;

/// <summary>The ABI's <c>ParamList</c> node: key, value, value length, next (32 bytes on x86-64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeParam
{
    public byte* Key;
    public byte* Value;
    public uint ValueLength;
    public NativeParam* Next;
}
