using Inference.Plugins.Sdk;

namespace Inference.Samples.SileroVad;

/// <summary>The plugin's error codes; manifest.yaml lists each with its description and strategy.</summary>
public static class VadErrors
{
    public const int EmptyAudio = 30001;
    public const int PartialSample = 30002;
    public const int UnsupportedSampleRate = 30003;
    public const int InvalidParameter = 30004;
    public const int InvalidStream = 30005;

    public static string Name(int code) => code switch
    {
        EmptyAudio => "VAD_ERROR_EMPTY_AUDIO",
        PartialSample => "VAD_ERROR_PARTIAL_SAMPLE",
        UnsupportedSampleRate => "VAD_ERROR_SAMPLE_RATE",
        InvalidParameter => "VAD_ERROR_INVALID_PARAMETER",
        InvalidStream => "VAD_ERROR_INVALID_STREAM",
        _ => "VAD_ERROR_UNKNOWN",
    };

    public static PluginException Empty() => new(EmptyAudio, "the audio has no samples");

    public static PluginException Partial(long bytes) =>
        new(PartialSample, $"the audio is {bytes} bytes, not a whole number of 16-bit samples");
}
