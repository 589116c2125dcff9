using System.Buffers;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// Native memory (an ORT output's buffer) as <see cref="Memory{T}"/>, so that a raw output becomes a
/// protobuf byte string without a copy and is serialized straight from ORT's memory into the
/// response. Its owner (the OrtValue) must outlive every use: the response is written before the
/// outputs are released.
/// </summary>
internal sealed unsafe class UnmanagedMemory(void* pointer, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)pointer + elementIndex);

    public override void Unpin()
    {
        // Native memory does not move: nothing to undo.
    }

    protected override void Dispose(bool disposing)
    {
        // The OrtValue owns the memory and frees it.
    }
}
