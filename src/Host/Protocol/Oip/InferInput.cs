using Inference.Host.Buffers;
using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// One decoded input tensor. Fixed-size data sits in a pinned array (a pooled buffer the decoder
/// filled, or the request body itself for binary inputs) ready for ORT to read in place; BYTES
/// elements are slices of the body where no JSON unescaping was needed.
/// </summary>
/// <remarks>
/// Inputs belong to their <see cref="InferRequest"/> and are reused with it: valid until the request
/// is disposed. The shape array is kept from one use to the next when the rank is the same.
/// </remarks>
public sealed class InferInput
{
    private long[] shapeBuffer = [];

    internal InferInput()
    {
    }

    public string Name { get; private set; } = "";

    public TensorElementType ElementType { get; private set; }

    public long[] Shape { get; private set; } = [];

    /// <summary>Pinned array holding the data of a fixed-size tensor.</summary>
    public byte[]? Data { get; private set; }

    public int DataOffset { get; private set; }

    public int DataLength { get; private set; }

    /// <summary>The pooled buffer behind <see cref="Data"/> when the decoder rented one; the request returns it.</summary>
    public PooledBuffer? Owner { get; private set; }

    /// <summary>BYTES elements.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Strings { get; private set; }

    public long ElementCount => TensorShape.ElementCount(Shape);

    public ReadOnlySpan<byte> DataSpan => Data.AsSpan(DataOffset, DataLength);

    /// <summary>An array holding <paramref name="dims"/>: this input's previous one when the rank matches.</summary>
    internal long[] ShapeOf(ReadOnlySpan<long> dims)
    {
        if (shapeBuffer.Length != dims.Length)
        {
            shapeBuffer = dims.ToArray();
        }
        else
        {
            dims.CopyTo(shapeBuffer);
        }

        return shapeBuffer;
    }

    internal void SetFixed(string name, TensorElementType type, long[] shape, byte[] data, int offset, int length, PooledBuffer? owner)
    {
        Name = name;
        ElementType = type;
        Shape = shape;
        Data = data;
        DataOffset = offset;
        DataLength = length;
        Owner = owner;
        Strings = null;
    }

    internal void SetStrings(string name, TensorElementType type, long[] shape, IReadOnlyList<ReadOnlyMemory<byte>> strings)
    {
        Name = name;
        ElementType = type;
        Shape = shape;
        Data = null;
        DataOffset = 0;
        DataLength = 0;
        Owner = null;
        Strings = strings;
    }

    /// <summary>Gives back the decoder's buffer and forgets this request's data (the shape array stays for reuse).</summary>
    internal void Clear()
    {
        Owner?.Dispose();
        Owner = null;
        Name = "";
        ElementType = TensorElementType.Undefined;
        Shape = [];
        Data = null;
        DataOffset = 0;
        DataLength = 0;
        Strings = null;
    }
}
