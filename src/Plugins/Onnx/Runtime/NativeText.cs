using System.Runtime.InteropServices;
using Inference.Onnx.Binding;

namespace Inference.Onnx.Runtime;

/// <summary>UTF-8 strings across the boundary: ORT-allocated ones are read and freed here.</summary>
internal static unsafe class NativeText
{
    /// <summary>Reads a string ORT allocated with <paramref name="allocator"/> and frees it.</summary>
    public static string Take(byte* text, nint allocator)
    {
        if (text is null)
        {
            return "";
        }

        try
        {
            return Marshal.PtrToStringUTF8((nint)text) ?? "";
        }
        finally
        {
            OrtStatus.Check(OrtLibrary.Api.AllocatorFree(allocator, text));
        }
    }
}
