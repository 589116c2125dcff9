using Inference.Host.Protocol.Engine;

namespace Inference.Host.Streaming;

/// <summary>
/// The order rules of a stream's input, whatever the transport. Frames are numbered from 1: by the
/// client (<c>seq</c>), or implicitly as one past the highest number received so far. Frames that come
/// early wait in the reorder window; a number received twice, one a window or more ahead of the next in
/// order, or one after the frame that ended the stream is a protocol error. A chunk's status is 0
/// (begin) only in the first frame; a chunk sent without one gets begin in the first frame and continue
/// after; the stream's input ends with the frame holding an end (2) or once (3) chunk.
/// </summary>
public sealed class StreamSequencer(int window)
{
    /// <summary>The status of a chunk whose frame did not say: begin first, continue after.</summary>
    public const int ImpliedStatus = -1;

    private const int Begin = 0;
    private const int Continue = 1;
    private const int End = 2;
    private const int Once = 3;

    private readonly ReorderWindow<StreamFrame> reorder = new(window);
    private long highest;
    private long last = long.MaxValue;
    private long delivered;

    /// <summary>True while no frame waits for a gap: a frame numbered implicitly is then delivered at once (its bytes need not be kept).</summary>
    public bool NothingHeld => reorder.Held == 0;

    /// <summary>The frame that ended the input has been delivered.</summary>
    public bool Ended { get; private set; }

    /// <summary>Frames delivered so far.</summary>
    public long Delivered => delivered;

    /// <summary>
    /// Takes one frame (<paramref name="seq"/> null: the next number); appends to <paramref name="ready"/>
    /// the frames now in order, statuses resolved. A broken rule is returned as a failure.
    /// </summary>
    public StreamFailure? Accept(long? seq, IReadOnlyList<EngineDataSegment> chunks, List<StreamFrame> ready)
    {
        var number = seq ?? highest + 1;
        if (number < 1)
        {
            return StreamFailure.Protocol(StreamErrorCodes.InvalidFrame, $"seq must be a positive integer (frames are numbered from 1), got {number}");
        }

        if (number > last)
        {
            return StreamFailure.Protocol(StreamErrorCodes.SequenceGap, $"frame {number} comes after frame {last}, which ended the stream");
        }

        var ends = chunks.Any(c => c.Status is End or Once);
        if (ends && highest > number)
        {
            return StreamFailure.Protocol(StreamErrorCodes.SequenceGap, $"frame {number} ends the stream, but frame {highest} was already received after it");
        }

        var frame = new StreamFrame(number, chunks);
        switch (reorder.Offer(number, frame))
        {
            case ReorderOutcome.Duplicate:
                return StreamFailure.Protocol(StreamErrorCodes.DuplicateSequence, $"frame {number} was already received");
            case ReorderOutcome.BeyondWindow:
                return StreamFailure.Protocol(
                    StreamErrorCodes.SequenceGap,
                    $"frame {number} is {number - reorder.Next} ahead of frame {reorder.Next}, the next in order; the reorder window holds {reorder.Size} (Host:StreamReorderWindow)");
            case ReorderOutcome.InOrder:
                if (Deliver(frame, ready) is { } failure)
                {
                    return failure;
                }

                while (reorder.TryTake(out var next))
                {
                    if (Deliver(next, ready) is { } later)
                    {
                        return later;
                    }
                }

                break;
        }

        highest = Math.Max(highest, number);
        if (ends)
        {
            last = number;
        }

        return null;
    }

    private StreamFailure? Deliver(StreamFrame frame, List<StreamFrame> ready)
    {
        var first = delivered == 0;
        EngineDataSegment[]? resolved = null; // copied once, only when a status has to be filled in
        for (var i = 0; i < frame.Chunks.Count; i++)
        {
            var status = frame.Chunks[i].Status;
            if (status == ImpliedStatus)
            {
                resolved ??= [.. frame.Chunks];
                resolved[i] = resolved[i] with { Status = first ? Begin : Continue };
            }
            else if (status == Begin && !first)
            {
                return StreamFailure.Protocol(StreamErrorCodes.InvalidFrame, $"frame {frame.Seq}: status 0 (begin) is for the first frame only; use 1 (continue)");
            }
        }

        delivered++;
        var chunks = (IReadOnlyList<EngineDataSegment>?)resolved ?? frame.Chunks;
        Ended |= chunks.Any(c => c.Status is End or Once);
        ready.Add(resolved is null ? frame : frame with { Chunks = resolved });
        return null;
    }
}
