using Inference.Host.Execution;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// A request waiting in (or taken from) a <see cref="DynamicBatcher"/>'s queue: its inputs by session
/// index, its rows (first dimension), and the task its caller awaits. Its token is registered from
/// before it is queued until its batch has run.
/// </summary>
internal sealed class PendingRequest
{
    private readonly DynamicBatcher owner;
    private readonly int[] positions;

    public PendingRequest(DynamicBatcher owner, BoundInputs bound, long[][] shapes, int[] positions, long rows, long bytes, CancellationToken token)
    {
        this.owner = owner;
        this.positions = positions;
        Bound = bound;
        Shapes = shapes;
        Rows = rows;
        Bytes = bytes;
        Token = token;
        Key = new BatchKey(bound.OutputIndices, shapes);
        Node = new LinkedListNode<PendingRequest>(this);
    }

    public BoundInputs Bound { get; }

    /// <summary>Input shapes by session input index.</summary>
    public long[][] Shapes { get; }

    public long Rows { get; }

    /// <summary>Bytes of its fixed-size inputs (what a merged input buffer must hold for it).</summary>
    public long Bytes { get; }

    public CancellationToken Token { get; }

    public BatchKey Key { get; }

    public LinkedListNode<PendingRequest> Node { get; }

    public long EnqueuedAt { get; set; }

    /// <summary>Set (under the batcher's lock) when taken into a batch.</summary>
    public Batch? Batch { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    public TaskCompletionSource<OrtValue?[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Its value for session input <paramref name="sessionIndex"/>.</summary>
    public OrtValue Input(int sessionIndex) => Bound.Values[positions[sessionIndex]];

    public void OnCancelled() => owner.Cancel(this);

    /// <summary>Hands over the outputs, or the failure; a caller that has gone gets neither (its outputs are released).</summary>
    public void Finish(OrtValue?[]? outputs, Exception? failure)
    {
        if (Token.IsCancellationRequested)
        {
            Dispose(outputs);
            Completion.TrySetCanceled(Token);
        }
        else if (failure is not null)
        {
            Dispose(outputs);
            Completion.TrySetException(failure is OrtException ort ? new OrtException(ort.Code, ort.Message) : failure);
        }
        else if (!Completion.TrySetResult(outputs!))
        {
            Dispose(outputs);
        }
    }

    private static void Dispose(OrtValue?[]? outputs)
    {
        if (outputs is null)
        {
            return;
        }

        foreach (var output in outputs)
        {
            output?.Dispose();
        }
    }
}
