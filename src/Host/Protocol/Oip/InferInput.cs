using Inference.Host.Buffers;
using Inference.Onnx.Tensors;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// One decoded input tensor. Fixed-size data sits in a pinned array (a pooled buffer the decoder
/// filled, or the request body itself for binary inputs) ready for ORT to read in place; BYTES
/// elements are slices of the body where no JSON unescaping was needed.
/// </summary>
public sealed class InferInput
{
    public required string Name { get; init; }

    public required TensorElementType ElementType { get; init; }

    public required long[] Shape { get; init; }

    /// <summary>Pinned array holding the data of a fixed-size tensor.</summary>
    public byte[]? Data { get; init; }

    public int DataOffset { get; init; }

    public int DataLength { get; init; }

    /// <summary>The pooled buffer behind <see cref="Data"/> when the decoder rented one; the request returns it.</summary>
    public PooledBuffer? Owner { get; init; }

    /// <summary>BYTES elements.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Strings { get; init; }

    public long ElementCount => TensorShape.ElementCount(Shape);

    public ReadOnlySpan<byte> DataSpan => Data.AsSpan(DataOffset, DataLength);
}
