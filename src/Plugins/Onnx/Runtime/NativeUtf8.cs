using System.Runtime.InteropServices;

namespace Inference.Onnx.Runtime;

/// <summary>A NUL-terminated UTF-8 copy of a string in native memory, freed on dispose.</summary>
internal readonly unsafe struct NativeUtf8 : IDisposable
{
    public NativeUtf8(string text)
    {
        Pointer = (byte*)Marshal.StringToCoTaskMemUTF8(text);
    }

    public byte* Pointer { get; }

    public void Dispose() => Marshal.FreeCoTaskMem((nint)Pointer);
}
