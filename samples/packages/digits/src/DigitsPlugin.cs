using System.Buffers;
using System.Globalization;
using Inference.Plugins.Sdk;

namespace Inference.Samples.Digits;

/// <summary>
/// Recognises one handwritten digit in a PNG or PGM: decodes it (<see cref="PngDecoder"/>,
/// <see cref="PgmDecoder"/>) into pooled buffers, prepares the 8x8 input the model was trained on
/// (<see cref="Preprocessor"/>), runs the package's model through the host's ONNX Runtime, and answers
/// the most probable digits (<see cref="Postprocessor"/>). One model is opened at init and shared by
/// all calls, which the host may make concurrently.
/// </summary>
public sealed class DigitsPlugin : IEnginePlugin
{
    private const string ImageSegment = "image";
    private const string ResultSegment = "result";
    private const string InputName = "pixels";
    private const string OutputName = "logits";
    private const int Classes = 10;

    private IPluginModel? model;
    private ArrayPool<byte> buffers = ArrayPool<byte>.Shared;

    public ValueTask InitAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var path = context.Settings.GetValueOrDefault("model", "model/digits.onnx");
        var opened = context.Services.OpenModel(path);
        if (!opened.InputNames.Contains(InputName) || !opened.OutputNames.Contains(OutputName))
        {
            opened.Dispose();
            throw new InvalidOperationException($"{path} must take '{InputName}' and give '{OutputName}'; it takes {string.Join(", ", opened.InputNames)} and gives {string.Join(", ", opened.OutputNames)}");
        }

        model = opened;
        buffers = context.Services.Buffers;
        return ValueTask.CompletedTask;
    }

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken)
    {
        var classifier = model ?? throw new InvalidOperationException("the plugin is not initialised");
        if (!request.Data.TryGetValue(ImageSegment, out var image))
        {
            throw new PluginException(DigitsErrors.NotAnImage, $"the request has no '{ImageSegment}' segment");
        }

        var topK = (int)Number(request.Parameters, "top_k", 3);
        var minConfidence = Number(request.Parameters, "min_confidence", 0);

        var features = new float[Preprocessor.Features];
        Prepare(image, buffers, features);
        cancellationToken.ThrowIfCancellationRequested();

        var outputs = classifier.Run(new Dictionary<string, PluginTensor> { [InputName] = new(features, [1, Preprocessor.Features]) }, cancellationToken);
        var logits = (float[])outputs[OutputName].Values;
        if (logits.Length != Classes)
        {
            throw new InvalidOperationException($"the model gave {logits.Length} logits; {Classes} expected");
        }

        var ranked = Postprocessor.Rank(logits);
        if (ranked[0].Probability < minConfidence)
        {
            throw new PluginException(DigitsErrors.LowConfidence, string.Create(CultureInfo.InvariantCulture, $"the best guess, {ranked[0].Digit}, has probability {ranked[0].Probability:0.####}, below min_confidence {minConfidence}"));
        }

        var json = Postprocessor.ToJson(ranked, topK);
        return ValueTask.FromResult(new PluginResult([new PluginData(ResultSegment, "json", DataStatus.Once, json)]));
    }

    public IPluginSession CreateSession(IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<uint> resourceIds) =>
        throw new NotSupportedException("digits is a one-shot engine: it has no streaming sessions");

    public ValueTask LoadResourceAsync(uint resourceId, PluginData data, CancellationToken cancellationToken) =>
        throw new NotSupportedException("digits has no personalization resources");

    public ValueTask UnloadResourceAsync(uint resourceId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("digits has no personalization resources");

    public string ErrorText(int code) => DigitsErrors.Name(code);

    public ValueTask ShutdownAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref model, null)?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Decodes the image and fills the model's 64 inputs; the decoded pixels go back to the pool.</summary>
    internal static void Prepare(PluginData image, ArrayPool<byte> pool, Span<float> features)
    {
        using var decoded = Decode(image.Encoding, image.Data.Span, pool);
        if (decoded.Channels == 1)
        {
            Preprocessor.Canonicalize(decoded.Pixels, decoded.Width, decoded.Height, features);
            return;
        }

        using var grey = Grayscale.Convert(decoded, pool);
        Preprocessor.Canonicalize(grey.Pixels, grey.Width, grey.Height, features);
    }

    internal static DecodedImage Decode(string encoding, ReadOnlySpan<byte> data, ArrayPool<byte> pool) => encoding switch
    {
        "png" => PngDecoder.Decode(data, pool),
        "pgm" => PgmDecoder.Decode(data, pool),
        _ => throw new PluginException(DigitsErrors.NotAnImage, $"encoding '{encoding}' is neither png nor pgm"),
    };

    // The host types parameters from the manifest (integer as long, float as double); Convert also takes what a direct caller passes.
    private static double Number(IReadOnlyDictionary<string, object?> parameters, string name, double fallback) =>
        parameters.TryGetValue(name, out var value) && value is not null ? System.Convert.ToDouble(value, CultureInfo.InvariantCulture) : fallback;
}
