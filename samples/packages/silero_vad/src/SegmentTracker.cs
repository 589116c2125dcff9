namespace Inference.Samples.SileroVad;

/// <summary>
/// Silero's <c>get_speech_timestamps</c> (v5, without max_speech_duration) turned into a stream: it
/// takes one speech probability per window as they come and gives out each segment as soon as nothing
/// later can change it. The offline original pads segments only after the whole audio is scored, and
/// the padding of a segment's end depends on where the next kept segment starts; so a closed segment
/// waits here until the next kept one starts, or until no segment could start close enough to matter.
/// </summary>
public sealed class SegmentTracker(VadSettings settings, int windowSamples)
{
    private long position;
    private long? openStart;
    private long? tentativeEnd;
    private (long PaddedStart, long End)? closed;

    /// <summary>Takes the probability of the next window; appends segments whose bounds are now final.</summary>
    public void Push(float probability, ICollection<SpeechSegment> output)
    {
        Step(probability, output);
        if (closed is (var paddedStart, var end) && (openStart ?? position) - end >= 2 * settings.SpeechPadSamples)
        {
            // Any later segment starts at least two pads away: the original pads this end fully.
            output.Add(new SpeechSegment(paddedStart, end + settings.SpeechPadSamples));
            closed = null;
        }
    }

    /// <summary>
    /// Ends the audio after <paramref name="totalSamples"/>, taking the probability of the last, partial
    /// window if there was one; appends the remaining segments.
    /// </summary>
    public void Finish(float? lastProbability, long totalSamples, ICollection<SpeechSegment> output)
    {
        if (lastProbability is { } probability)
        {
            Step(probability, output);
        }

        // Speech running into the end of the audio ends there, whatever the last windows said.
        if (openStart is { } start && totalSamples - start > settings.MinSpeechSamples)
        {
            Keep(start, totalSamples, output);
        }

        if (closed is (var paddedStart, var end))
        {
            output.Add(new SpeechSegment(paddedStart, Math.Min(totalSamples, end + settings.SpeechPadSamples)));
        }

        openStart = tentativeEnd = null;
        closed = null;
    }

    private void Step(float probability, ICollection<SpeechSegment> output)
    {
        var current = position;
        position += windowSamples;
        if (probability >= settings.Threshold)
        {
            tentativeEnd = null;
            openStart ??= current;
            return;
        }

        if (probability >= settings.NegativeThreshold || openStart is not { } start)
        {
            return;
        }

        tentativeEnd ??= current;
        if (current - tentativeEnd.Value < settings.MinSilenceSamples)
        {
            return;
        }

        if (tentativeEnd.Value - start > settings.MinSpeechSamples)
        {
            Keep(start, tentativeEnd.Value, output);
        }

        openStart = tentativeEnd = null;
    }

    /// <summary>A segment survived the minimum duration: it settles the padding between it and the one before.</summary>
    private void Keep(long start, long end, ICollection<SpeechSegment> output)
    {
        var pad = settings.SpeechPadSamples;
        var paddedStart = Math.Max(0, start - pad);
        if (closed is (var previousStart, var previousEnd))
        {
            // Too little silence for two pads: the original splits it between the two segments.
            var silence = start - previousEnd;
            var share = silence < 2 * pad ? silence / 2 : pad;
            output.Add(new SpeechSegment(previousStart, previousEnd + share));
            paddedStart = Math.Max(0, start - share);
        }

        closed = (paddedStart, end);
    }
}
