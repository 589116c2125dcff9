using System.Buffers.Binary;

namespace Inference.Samples.SileroVad;

/// <summary>
/// Speech detection over one stream of PCM16 LE audio, in pieces of any size: samples are normalised
/// to [-1, 1) and gathered into 512-sample windows, each scored by the model with this stream's own
/// recurrent state and context, and the probabilities go through <see cref="SegmentTracker"/>. The
/// one-shot path runs the same code over the whole audio, so both give the same segments.
/// </summary>
public sealed class SpeechDetector(SileroModel model, VadSettings settings)
{
    // Context first, then the window being filled: the layout the model takes, so no copy per run.
    private readonly float[] input = new float[SileroModel.ContextSamples + SileroModel.WindowSamples];
    private readonly float[] state = new float[SileroModel.StateSize];
    private readonly SegmentTracker tracker = new(settings, SileroModel.WindowSamples);
    private int filled;
    private long totalSamples;
    private byte? oddByte;
    private bool finished;

    /// <summary>Takes the next bytes of audio; appends the segments that are now final.</summary>
    public void Write(ReadOnlySpan<byte> pcm, ICollection<SpeechSegment> output, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        if (pcm.IsEmpty)
        {
            return;
        }

        if (oddByte is { } low)
        {
            // A sample split across two pieces of the stream.
            Add((short)(low | (pcm[0] << 8)), output, cancellationToken);
            pcm = pcm[1..];
            oddByte = null;
        }

        while (pcm.Length >= 2)
        {
            Add(BinaryPrimitives.ReadInt16LittleEndian(pcm), output, cancellationToken);
            pcm = pcm[2..];
        }

        if (pcm.Length == 1)
        {
            oddByte = pcm[0];
        }
    }

    /// <summary>Ends the audio: scores the last, partial window and appends the remaining segments.</summary>
    public void Finish(ICollection<SpeechSegment> output, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        finished = true;
        if (oddByte is not null)
        {
            throw VadErrors.Partial(totalSamples * 2 + 1);
        }

        if (totalSamples == 0)
        {
            throw VadErrors.Empty();
        }

        float? last = null;
        if (filled > 0)
        {
            // As the original does: the tail is scored as a window padded with silence.
            Array.Clear(input, SileroModel.ContextSamples + filled, SileroModel.WindowSamples - filled);
            last = model.Score(input, state, cancellationToken);
        }

        tracker.Finish(last, totalSamples, output);
    }

    private void Add(short sample, ICollection<SpeechSegment> output, CancellationToken cancellationToken)
    {
        input[SileroModel.ContextSamples + filled++] = sample / 32768f;
        totalSamples++;
        if (filled < SileroModel.WindowSamples)
        {
            return;
        }

        var probability = model.Score(input, state, cancellationToken);
        input.AsSpan(SileroModel.WindowSamples, SileroModel.ContextSamples).CopyTo(input);
        filled = 0;
        tracker.Push(probability, output);
    }
}
