using Inference.Host.Buffers;

namespace Inference.Host.Transport.Http;

/// <summary>A whole request body in a pooled pinned buffer, at <see cref="Offset"/>; returns the buffer on dispose.</summary>
public sealed class RequestBody(PooledBuffer buffer, int offset, int length) : IDisposable
{
    public byte[] Array => buffer.Array;

    public int Offset { get; } = offset;

    public int Length { get; } = length;

    public void Dispose() => buffer.Dispose();
}
