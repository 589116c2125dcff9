using System.Buffers;

namespace Inference.Samples.Digits;

/// <summary>
/// Decoded 8-bit pixels, channels interleaved, rows packed without padding, in a buffer rented from the
/// host's pool; disposing returns it.
/// </summary>
internal sealed class DecodedImage : IDisposable
{
    /// <summary>Wider or taller images are refused before any pixel is decoded (a 4096x4096 RGBA image is 64 MiB).</summary>
    public const int MaxSide = 4096;

    private readonly ArrayPool<byte> pool;
    private byte[]? buffer;

    public DecodedImage(int width, int height, int channels, byte[] buffer, ArrayPool<byte> pool)
    {
        if (buffer.Length < (long)width * height * channels)
        {
            throw new ArgumentException($"a {width}x{height}x{channels} image needs {(long)width * height * channels} bytes; the buffer has {buffer.Length}", nameof(buffer));
        }

        Width = width;
        Height = height;
        Channels = channels;
        this.buffer = buffer;
        this.pool = pool;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 grey, 2 grey and alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    public ReadOnlySpan<byte> Pixels => (buffer ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, Width * Height * Channels);

    public void Dispose()
    {
        var rented = Interlocked.Exchange(ref buffer, null);
        if (rented is not null)
        {
            pool.Return(rented);
        }
    }
}
