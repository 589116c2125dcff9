using Inference.Plugins.Sdk;

namespace Inference.Samples.SileroVad;

/// <summary>
/// A request's detection parameters, checked here as well as by the host: streaming sessions may be
/// opened with parameters the host has not typed or completed, so missing ones fall back to the same
/// defaults manifest.yaml declares.
/// </summary>
public sealed record VadSettings(double Threshold, long MinSilenceMs, long MinSpeechMs, long SpeechPadMs)
{
    /// <summary>The only rate the bundled model is built for (its 8 kHz branch was exported away).</summary>
    public const int SampleRate = 16000;

    public static VadSettings Default { get; } = new(0.5, 100, 250, 30);

    /// <summary>Silero's hysteresis: speech opens at the threshold and closes only below this.</summary>
    public double NegativeThreshold => Math.Max(Threshold - 0.15, 0.01);

    public long MinSilenceSamples => MinSilenceMs * SampleRate / 1000;

    public long MinSpeechSamples => MinSpeechMs * SampleRate / 1000;

    public long SpeechPadSamples => SpeechPadMs * SampleRate / 1000;

    public static VadSettings From(IReadOnlyDictionary<string, object?> parameters)
    {
        var sampleRate = Integer(parameters, "sample_rate", SampleRate, 1, 1_000_000);
        if (sampleRate != SampleRate)
        {
            throw new PluginException(VadErrors.UnsupportedSampleRate, $"sample_rate is {sampleRate}; the model takes {SampleRate} Hz audio");
        }

        return new VadSettings(
            Float(parameters, "threshold", Default.Threshold, 0, 1),
            Integer(parameters, "min_silence_ms", Default.MinSilenceMs, 0, 10_000),
            Integer(parameters, "min_speech_ms", Default.MinSpeechMs, 0, 10_000),
            Integer(parameters, "speech_pad_ms", Default.SpeechPadMs, 0, 1_000));
    }

    private static double Float(IReadOnlyDictionary<string, object?> parameters, string name, double fallback, double min, double max)
    {
        if (!parameters.TryGetValue(name, out var value) || value is null)
        {
            return fallback;
        }

        var number = value switch
        {
            double d => d,
            float f => f,
            long l => l,
            int i => i,
            decimal m => (double)m,
            _ => throw new PluginException(VadErrors.InvalidParameter, $"{name} must be a number, not {value.GetType().Name}"),
        };
        return number >= min && number <= max // false for NaN too
            ? number
            : throw new PluginException(VadErrors.InvalidParameter, $"{name} is {number}, outside [{min}, {max}]");
    }

    private static long Integer(IReadOnlyDictionary<string, object?> parameters, string name, long fallback, long min, long max)
    {
        if (!parameters.TryGetValue(name, out var value) || value is null)
        {
            return fallback;
        }

        var number = value switch
        {
            long l => l,
            int i => i,
            double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
            _ => throw new PluginException(VadErrors.InvalidParameter, $"{name} must be a whole number, not {value}"),
        };
        return number >= min && number <= max
            ? number
            : throw new PluginException(VadErrors.InvalidParameter, $"{name} is {number}, outside [{min}, {max}]");
    }
}
