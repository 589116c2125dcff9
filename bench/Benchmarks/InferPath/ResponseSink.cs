using System.IO.Pipelines;

namespace Inference.Benchmarks.InferPath;

/// <summary>
/// The response body pipe: one array, emptied per request, whose flushes complete at once (Kestrel's
/// flush completes synchronously below its back-pressure threshold). Keeps what was written so a
/// run can be checked.
/// </summary>
internal sealed class ResponseSink(int capacity) : PipeWriter
{
    private readonly byte[] buffer = new byte[capacity];
    private int written;

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, written);

    public void Clear() => written = 0;

    public override void Advance(int bytes) => written += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(written);

    public override Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(written);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => new(new FlushResult(false, false));

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }
}
