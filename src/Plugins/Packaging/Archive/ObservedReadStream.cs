namespace Inference.Packaging.Archive;

/// <summary>
/// A read-only pass-through that sees every byte read from the inner stream: the base of the hashing,
/// counting and limiting layers that sit around the gzip stream. It does not own the inner stream.
/// </summary>
internal abstract class ObservedReadStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override int Read(Span<byte> buffer)
    {
        var admitted = Admit(buffer.Length);
        var read = inner.Read(buffer[..admitted]);
        Account(buffer[..read], admitted);
        return read;
    }

    public sealed override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public sealed override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public sealed override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var admitted = Admit(buffer.Length);
        var read = await inner.ReadAsync(buffer[..admitted], cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read], admitted);
        return read;
    }

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>Reads the inner stream to its end, so that every byte is observed (hashed, counted).</summary>
    public void DrainToEnd(Span<byte> buffer)
    {
        while (Read(buffer) > 0)
        {
        }
    }

    public async Task DrainToEndAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>How many of the <paramref name="requested"/> bytes to ask the inner stream for (at least one when requested is not zero).</summary>
    protected virtual int Admit(int requested) => requested;

    /// <summary>Sees the bytes just read; <paramref name="endOfStream"/> when the inner stream has no more.</summary>
    protected abstract void Observe(ReadOnlySpan<byte> data, bool endOfStream);

    private void Account(ReadOnlySpan<byte> data, int admitted)
    {
        BytesRead += data.Length;
        Observe(data, endOfStream: data.IsEmpty && admitted > 0);
    }
}
