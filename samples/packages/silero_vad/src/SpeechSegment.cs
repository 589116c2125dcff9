using System.Globalization;
using System.Text;

namespace Inference.Samples.SileroVad;

/// <summary>A detected stretch of speech, in samples from the start of the audio (end exclusive).</summary>
public readonly record struct SpeechSegment(long StartSample, long EndSample)
{
    /// <summary>One NDJSON line: <c>{"start_ms":…,"end_ms":…}</c> and a newline.</summary>
    public byte[] ToJsonLine(int sampleRate) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"start_ms\":{StartSample * 1000 / sampleRate},\"end_ms\":{EndSample * 1000 / sampleRate}}}\n"));
}
