namespace Inference.Onnx.Runtime;

/// <summary>The elements of a string tensor as one UTF-8 buffer and each element's start offset.</summary>
public sealed class StringTensorContent(byte[] data, nuint[] offsets)
{
    public int Count => offsets.Length;

    /// <summary>All elements back to back, without terminators.</summary>
    public ReadOnlyMemory<byte> Data => data;

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var start = (int)offsets[index];
            var end = index + 1 < offsets.Length ? (int)offsets[index + 1] : data.Length;
            return data.AsSpan(start, end - start);
        }
    }
}
