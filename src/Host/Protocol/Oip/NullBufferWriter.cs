using System.Buffers;

namespace Inference.Host.Protocol.Oip;

/// <summary>A destination that takes nothing: where the idle per-thread JSON writer points between headers.</summary>
internal sealed class NullBufferWriter : IBufferWriter<byte>
{
    public static NullBufferWriter Instance { get; } = new();

    public void Advance(int count) => throw new InvalidOperationException("nothing may be written here");

    public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("nothing may be written here");

    public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("nothing may be written here");
}
