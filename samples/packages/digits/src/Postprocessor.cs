using System.Buffers;
using System.Text.Json;

namespace Inference.Samples.Digits;

/// <summary>Logits to probabilities (softmax), the digits ranked, and the JSON answer.</summary>
internal static class Postprocessor
{
    /// <summary>All ten digits, most probable first; equal probabilities in digit order.</summary>
    public static DigitScore[] Rank(ReadOnlySpan<float> logits)
    {
        // Subtracting the largest logit keeps exp() from overflowing; softmax is unchanged by a shift.
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var scores = new DigitScore[logits.Length];
        var total = 0.0;
        for (var d = 0; d < logits.Length; d++)
        {
            var e = Math.Exp(logits[d] - max);
            scores[d] = new DigitScore(d, e);
            total += e;
        }

        for (var d = 0; d < scores.Length; d++)
        {
            scores[d] = scores[d] with { Probability = scores[d].Probability / total };
        }

        Array.Sort(scores, static (a, b) => a.Probability != b.Probability ? b.Probability.CompareTo(a.Probability) : a.Digit.CompareTo(b.Digit));
        return scores;
    }

    /// <summary><c>{"digit":d,"confidence":p,"top":[{"digit":d,"probability":p},...]}</c> with the first <paramref name="topK"/> digits.</summary>
    public static byte[] ToJson(ReadOnlySpan<DigitScore> ranked, int topK)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (48 * topK));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("digit", ranked[0].Digit);
            json.WriteNumber("confidence", Round(ranked[0].Probability));
            json.WriteStartArray("top");
            foreach (var score in ranked[..Math.Min(topK, ranked.Length)])
            {
                json.WriteStartObject();
                json.WriteNumber("digit", score.Digit);
                json.WriteNumber("probability", Round(score.Probability));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Six decimals is finer than this model can mean, and keeps answers short and stable to read.
    private static double Round(double p) => Math.Round(p, 6);
}
