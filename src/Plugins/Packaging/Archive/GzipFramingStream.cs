using System.Buffers.Binary;

namespace Inference.Packaging.Archive;

/// <summary>
/// Watches the compressed bytes for gzip's framing: the magic number at the start (to say "not gzip"
/// rather than a decompressor's puzzling message) and the 8-byte trailer at the end (CRC-32, then the
/// expanded size modulo 2^32). .NET's GZipStream checks the CRC when the trailer is there, but when the
/// stream is cut short it just stops, without an error; comparing the trailer's size field with the
/// bytes actually expanded is how a truncated gzip stream is caught.
/// </summary>
internal sealed class GzipFramingStream(Stream inner) : ObservedReadStream(inner)
{
    private const int TrailerLength = 8;
    private const byte Magic1 = 0x1f;
    private const byte Magic2 = 0x8b;

    private readonly byte[] _head = new byte[2];
    private readonly byte[] _tail = new byte[TrailerLength];
    private int _headLength;
    private int _tailLength;

    public bool StartsWithGzipMagic => _headLength == 2 && _head[0] == Magic1 && _head[1] == Magic2;

    /// <summary>The first bytes seen, in hex, for a message.</summary>
    public string Head => _headLength == 0 ? "nothing" : Convert.ToHexStringLower(_head, 0, _headLength);

    /// <summary>Whether the stream ended with a gzip trailer for <paramref name="expandedBytes"/> bytes.</summary>
    public bool EndsWithTrailerFor(long expandedBytes) =>
        _tailLength == TrailerLength && BinaryPrimitives.ReadUInt32LittleEndian(_tail.AsSpan(4)) == unchecked((uint)expandedBytes);

    protected override void Observe(ReadOnlySpan<byte> data, bool endOfStream)
    {
        if (_headLength < _head.Length && !data.IsEmpty)
        {
            var take = Math.Min(_head.Length - _headLength, data.Length);
            data[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }

        if (data.Length >= TrailerLength)
        {
            data[^TrailerLength..].CopyTo(_tail);
            _tailLength = TrailerLength;
            return;
        }

        // Fewer than 8 new bytes: keep the newest of the old tail, moved to the front, then the new bytes.
        var keep = Math.Min(_tailLength, TrailerLength - data.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        data.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + data.Length;
    }
}
