using Inference.Samples.SileroVad;

namespace Inference.Host.Tests.Engines;

/// <summary>
/// The sample's streaming segment tracker against a line-by-line port of Silero's offline
/// <c>get_speech_timestamps</c> (silero-vad v5 utils_vad.py, max_speech_duration_s = inf), over random
/// probability sequences and settings, including pads wider than the silences they must share.
/// </summary>
public sealed class SileroVadSegmentTrackerTests
{
    private const int Window = 512;

    [Fact]
    public void StreamingGivesWhatTheOfflineAlgorithmGives()
    {
        var random = new Random(20260101);
        var compared = 0;
        var withSegments = 0;
        for (var run = 0; run < 2000; run++)
        {
            var settings = new VadSettings(
                Pick(random, 0.2, 0.5, 0.8, random.NextDouble()),
                Pick(random, 0L, 16L, 32L, 100L, 300L),
                Pick(random, 0L, 32L, 100L, 250L),
                Pick(random, 0L, 10L, 30L, 100L, 400L));
            var probabilities = Probabilities(random, random.Next(1, 400));
            var total = (long)probabilities.Length * Window - (random.Next(2) == 0 ? 0 : random.Next(1, Window));

            var expected = Offline(probabilities, settings, total);
            var streamed = Streamed(probabilities, settings, total);

            Assert.True(expected.SequenceEqual(streamed), $"run {run}, {settings}, {total} samples:\n offline  {string.Join(" ", expected)}\n streamed {string.Join(" ", streamed)}");
            compared++;
            withSegments += expected.Count > 1 ? 1 : 0;
        }

        Assert.Equal(2000, compared);
        Assert.True(withSegments > 500, $"only {withSegments} runs had more than one segment: the sequences do not exercise the padding");
    }

    [Fact]
    public void SegmentsComeOutAsSoonAsTheirPaddingIsSettled()
    {
        // 100 ms of minimum silence and 30 ms of pad (the defaults): a segment is final once the silence
        // after it is long enough, with no need to see the end of the audio.
        var tracker = new SegmentTracker(VadSettings.Default, Window);
        var output = new List<SpeechSegment>();
        float[] probabilities = [.. Enumerable.Repeat(0.9f, 20), .. Enumerable.Repeat(0.1f, 4)];

        foreach (var p in probabilities)
        {
            tracker.Push(p, output);
        }

        Assert.Empty(output); // 3 windows (96 ms) after the speech ended: not yet the minimum silence
        tracker.Push(0.1f, output);
        Assert.Equal(new[] { new SpeechSegment(0, 20 * Window + VadSettings.Default.SpeechPadSamples) }, output);
    }

    private static List<SpeechSegment> Streamed(float[] probabilities, VadSettings settings, long total)
    {
        var tracker = new SegmentTracker(settings, Window);
        var output = new List<SpeechSegment>();
        var full = (int)(total / Window);
        for (var i = 0; i < full; i++)
        {
            tracker.Push(probabilities[i], output);
        }

        tracker.Finish(full < probabilities.Length ? probabilities[full] : null, total, output);
        return output;
    }

    /// <summary>Silero's get_speech_timestamps after the probabilities are computed, transcribed with its own names.</summary>
    private static List<SpeechSegment> Offline(float[] speechProbs, VadSettings settings, long audioLengthSamples)
    {
        double threshold = settings.Threshold, negThreshold = settings.NegativeThreshold;
        long minSpeechSamples = settings.MinSpeechSamples, minSilenceSamples = settings.MinSilenceSamples, speechPadSamples = settings.SpeechPadSamples;
        var triggered = false;
        var speeches = new List<(long Start, long End)>();
        long currentStart = 0;
        long tempEnd = 0;
        for (var i = 0; i < speechProbs.Length; i++)
        {
            var speechProb = speechProbs[i];
            if (speechProb >= threshold && tempEnd != 0)
            {
                tempEnd = 0;
            }

            if (speechProb >= threshold && !triggered)
            {
                triggered = true;
                currentStart = (long)Window * i;
                continue;
            }

            if (speechProb < negThreshold && triggered)
            {
                if (tempEnd == 0)
                {
                    tempEnd = (long)Window * i;
                }

                if ((long)Window * i - tempEnd < minSilenceSamples)
                {
                    continue;
                }

                if (tempEnd - currentStart > minSpeechSamples)
                {
                    speeches.Add((currentStart, tempEnd));
                }

                tempEnd = 0;
                triggered = false;
            }
        }

        if (triggered && audioLengthSamples - currentStart > minSpeechSamples)
        {
            speeches.Add((currentStart, audioLengthSamples));
        }

        for (var i = 0; i < speeches.Count; i++)
        {
            if (i == 0)
            {
                speeches[i] = (Math.Max(0, speeches[i].Start - speechPadSamples), speeches[i].End);
            }

            if (i != speeches.Count - 1)
            {
                var silenceDuration = speeches[i + 1].Start - speeches[i].End;
                if (silenceDuration < 2 * speechPadSamples)
                {
                    speeches[i] = (speeches[i].Start, speeches[i].End + silenceDuration / 2);
                    speeches[i + 1] = (Math.Max(0, speeches[i + 1].Start - silenceDuration / 2), speeches[i + 1].End);
                }
                else
                {
                    speeches[i] = (speeches[i].Start, Math.Min(audioLengthSamples, speeches[i].End + speechPadSamples));
                    speeches[i + 1] = (Math.Max(0, speeches[i + 1].Start - speechPadSamples), speeches[i + 1].End);
                }
            }
            else
            {
                speeches[i] = (speeches[i].Start, Math.Min(audioLengthSamples, speeches[i].End + speechPadSamples));
            }
        }

        return speeches.Select(s => new SpeechSegment(s.Start, s.End)).ToList();
    }

    /// <summary>Runs of speech-like and silence-like probabilities with values between, as a real model gives.</summary>
    private static float[] Probabilities(Random random, int count)
    {
        var result = new float[count];
        var speaking = random.Next(2) == 0;
        for (var i = 0; i < count; i++)
        {
            if (random.Next(12) == 0)
            {
                speaking = !speaking;
            }

            result[i] = random.Next(8) == 0 ? (float)random.NextDouble() : speaking ? 0.7f + 0.3f * (float)random.NextDouble() : 0.3f * (float)random.NextDouble();
        }

        return result;
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];
}
