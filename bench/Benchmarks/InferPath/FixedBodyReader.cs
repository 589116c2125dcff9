using System.Buffers;
using System.IO.Pipelines;

namespace Inference.Benchmarks.InferPath;

/// <summary>
/// A request body pipe over one fixed byte array, rewound per request: the whole body in one
/// segment, completed, as Kestrel hands a small Content-Length body that arrived with its headers.
/// Reads complete synchronously and allocate nothing, so every byte counted is the host's or ASP.NET's.
/// </summary>
internal sealed class FixedBodyReader(byte[] body) : PipeReader
{
    private readonly ReadOnlySequence<byte> whole = new(body);
    private long consumed;

    public void Rewind() => consumed = 0;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        new(new ReadResult(whole.Slice(consumed), isCanceled: false, isCompleted: true));

    public override bool TryRead(out ReadResult result)
    {
        result = new ReadResult(whole.Slice(consumed), isCanceled: false, isCompleted: true);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => this.consumed = whole.Slice(0, consumed).Length;

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => AdvanceTo(consumed);

    public override void CancelPendingRead()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }
}
