using Inference.Plugins.Sdk;

namespace Inference.Samples.SileroVad;

/// <summary>
/// Voice activity detection with Silero VAD v5: 16 kHz mono PCM16 LE audio in (segment <c>audio</c>),
/// the speech segments out as NDJSON (segment <c>segments</c>, one <c>{"start_ms","end_ms"}</c> object
/// a line), one-shot or streamed. The model is opened once in the host's ONNX Runtime and shared;
/// every request and session has its own recurrent state.
/// </summary>
public sealed class SileroVadPlugin : IEnginePlugin
{
    public const string AudioSegment = "audio";
    public const string AudioEncoding = "pcm_s16le";
    public const string ResultSegment = "segments";
    public const string ResultEncoding = "utf8";
    public const string DefaultModel = "model/silero_vad_16k_op15.onnx";

    private SileroModel? model;

    private SileroModel Model => model ?? throw new InvalidOperationException("the plugin is not initialised");

    public ValueTask InitAsync(PluginContext context, CancellationToken cancellationToken)
    {
        model = new SileroModel(context.Services.OpenModel(context.Settings.GetValueOrDefault("model", DefaultModel)));
        return ValueTask.CompletedTask;
    }

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken)
    {
        var settings = VadSettings.From(request.Parameters);
        if (!request.Data.TryGetValue(AudioSegment, out var audio) || audio.Data.IsEmpty)
        {
            throw VadErrors.Empty();
        }

        if (audio.Data.Length % 2 != 0)
        {
            // Refused before a long audio is scored only to fail at its last byte.
            throw VadErrors.Partial(audio.Data.Length);
        }

        var detector = new SpeechDetector(Model, settings);
        var segments = new List<SpeechSegment>();
        detector.Write(audio.Data.Span, segments, cancellationToken);
        detector.Finish(segments, cancellationToken);
        return ValueTask.FromResult(new PluginResult([new PluginData(ResultSegment, ResultEncoding, DataStatus.Once, Lines(segments))]));
    }

    public IPluginSession CreateSession(IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<uint> resourceIds) =>
        new VadSession(Model, VadSettings.From(parameters));

    public ValueTask LoadResourceAsync(uint resourceId, PluginData data, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Silero VAD has no personalization resources");

    public ValueTask UnloadResourceAsync(uint resourceId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Silero VAD has no personalization resources");

    public string ErrorText(int code) => VadErrors.Name(code);

    public ValueTask ShutdownAsync(CancellationToken cancellationToken)
    {
        model?.Dispose();
        model = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>The NDJSON text of <paramref name="segments"/>: one line each, each ending in a newline.</summary>
    internal static byte[] Lines(IEnumerable<SpeechSegment> segments) =>
        segments.SelectMany(s => s.ToJsonLine(VadSettings.SampleRate)).ToArray();
}
