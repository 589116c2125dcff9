using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace Inference.Benchmarks.InferPath;

/// <summary>
/// A request body pipe over one fixed byte array, rewound per request: the whole body in one
/// segment, completed, as Kestrel hands a small Content-Length body. By default the body is there at
/// once (it came with the headers) and reads complete synchronously; <see cref="Late"/> makes the
/// first read of each request wait until <see cref="Arrive"/>, as when the body comes in a later
/// packet, so that the awaits on the way really suspend. Allocates nothing either way.
/// </summary>
internal sealed class FixedBodyReader(byte[] body) : PipeReader, IValueTaskSource<ReadResult>
{
    private readonly ReadOnlySequence<byte> whole = new(body);
    private ManualResetValueTaskSourceCore<ReadResult> pending;
    private long consumed;
    private bool waiting;

    /// <summary>Whether the first read of each request waits for <see cref="Arrive"/>.</summary>
    public bool Late { get; set; }

    public void Rewind()
    {
        consumed = 0;
        waiting = Late;
        pending.Reset();
    }

    /// <summary>Completes the waiting read (its continuation runs on this thread).</summary>
    public void Arrive()
    {
        waiting = false;
        pending.SetResult(Current());
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        waiting ? new(this, pending.Version) : new(Current());

    public override bool TryRead(out ReadResult result)
    {
        result = Current();
        return !waiting;
    }

    public override void AdvanceTo(SequencePosition consumed) => this.consumed = whole.Slice(0, consumed).Length;

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => AdvanceTo(consumed);

    public override void CancelPendingRead()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => pending.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        pending.OnCompleted(continuation, state, token, flags);

    private ReadResult Current() => new(whole.Slice(consumed), isCanceled: false, isCompleted: true);
}
