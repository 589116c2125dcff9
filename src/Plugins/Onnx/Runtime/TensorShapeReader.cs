using System.Runtime.InteropServices;
using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;

namespace Inference.Onnx.Runtime;

/// <summary>Reads dimensions (and their symbolic names) out of an <c>OrtTensorTypeAndShapeInfo</c>.</summary>
internal static unsafe class TensorShapeReader
{
    public static long[] ReadDimensions(OrtTensorTypeAndShapeInfoHandle info) => ReadDimensions(info.Pointer);

    public static long[] ReadDimensions(nint info)
    {
        nuint count;
        OrtStatus.Check(OrtLibrary.Api.GetDimensionsCount(info, &count));
        var dims = new long[(int)count];
        fixed (long* pointer = dims)
        {
            OrtStatus.Check(OrtLibrary.Api.GetDimensions(info, pointer, count));
        }

        return dims;
    }

    /// <summary>Symbolic names per dimension; "" where the dimension has none. ORT owns the strings.</summary>
    public static string[] ReadSymbolicDimensions(nint info, int count)
    {
        var names = new byte*[count];
        fixed (byte** pointer = names)
        {
            OrtStatus.Check(OrtLibrary.Api.GetSymbolicDimensions(info, pointer, (nuint)count));
        }

        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = names[i] is null ? "" : Marshal.PtrToStringUTF8((nint)names[i]) ?? "";
        }

        return result;
    }
}
