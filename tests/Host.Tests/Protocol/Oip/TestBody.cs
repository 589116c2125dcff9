using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Inference.Host.Buffers;
using Inference.Host.Protocol.Oip;

namespace Inference.Host.Tests.Protocol.Oip;

/// <summary>
/// A request body as the transport hands it to <see cref="InferRequestReader"/>: the JSON header at
/// <see cref="JsonOffset"/> inside a larger array (garbage before and after, as in a pooled buffer),
/// followed by the binary sections. The array is pinned, as the transport's pooled bodies are, so that
/// binary inputs can be bound in place.
/// </summary>
internal sealed record TestBody(byte[] Array, int JsonOffset, int JsonLength, int BinaryLength)
{
    private const byte Filler = 0xAB;

    public int BinaryStart => JsonOffset + JsonLength;

    public static TestBody Json(string json, int prefix = 0) => Create(json, prefix, []);

    public static TestBody Create(string json, int prefix, params byte[][] sections) =>
        Build(json, prefix, GC.AllocateArray<byte>(prefix + Encoding.UTF8.GetByteCount(json) + sections.Sum(s => s.Length) + 3, pinned: true), sections);

    /// <summary>
    /// A body whose binary section starts <paramref name="misalignment"/> bytes past an address that is a
    /// multiple of <paramref name="alignment"/> (0: aligned), as the transport's aligned bodies do, or not.
    /// </summary>
    public static unsafe TestBody CreateAligned(string json, int alignment, int misalignment, params byte[][] sections)
    {
        var headerLength = Encoding.UTF8.GetByteCount(json);
        var array = GC.AllocateArray<byte>(alignment + headerLength + sections.Sum(s => s.Length) + 3, pinned: true);
        var start = (nint)Unsafe.AsPointer(ref array[0]) + headerLength;
        var prefix = (int)(((misalignment - (start % alignment)) % alignment + alignment) % alignment);
        return Build(json, prefix, array, sections);
    }

    private static TestBody Build(string json, int prefix, byte[] array, byte[][] sections)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var binaryLength = sections.Sum(s => s.Length);
        array.AsSpan().Fill(Filler);
        header.CopyTo(array, prefix);
        var position = prefix + header.Length;
        foreach (var section in sections)
        {
            section.CopyTo(array, position);
            position += section.Length;
        }

        return new TestBody(array, prefix, header.Length, binaryLength);
    }

    public InferRequest Read(PinnedBufferPool pool) => InferRequestReader.Read(Array, JsonOffset, JsonLength, BinaryLength, pool);

    /// <summary>Where <paramref name="utf8"/> first occurs in the body (to locate string elements).</summary>
    public int IndexOf(string utf8) => Array.AsSpan().IndexOf(Encoding.UTF8.GetBytes(utf8));

    public static byte[] Bytes<T>(params T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>BYTES elements in the binary extension's layout: 4-byte little-endian length, then the bytes.</summary>
    public static byte[] LengthPrefixed(params byte[][] elements)
    {
        var result = new List<byte>();
        foreach (var element in elements)
        {
            var n = element.Length;
            result.Add((byte)n);
            result.Add((byte)(n >> 8));
            result.Add((byte)(n >> 16));
            result.Add((byte)(n >> 24));
            result.AddRange(element);
        }

        return result.ToArray();
    }
}
