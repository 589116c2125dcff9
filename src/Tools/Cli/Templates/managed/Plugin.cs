using System.Globalization;
using System.Text;
using Inference.Plugins.Sdk;

namespace __TYPE__;

/// <summary>
/// Pre-processing (text to numbers), compute (model/model.onnx in the host's ONNX Runtime), and
/// post-processing (numbers to text). The host creates one instance, calls InitAsync once, then may
/// call ExecuteAsync concurrently: keep per-request state in locals.
/// </summary>
public sealed class __TYPE__Plugin : IEnginePlugin
{
    private const int NotANumber = 10001;
    private const int NoNumbers = 10002;

    private IPluginModel? model;

    public ValueTask InitAsync(PluginContext context, CancellationToken cancellationToken)
    {
        model = context.Services.OpenModel(context.Settings.GetValueOrDefault("model", "model/model.onnx"));
        return ValueTask.CompletedTask;
    }

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(request.Data["numbers"].Data.Span);
        var numbers = Parse(text);
        var gain = (float)(double)request.Parameters["gain"]!;
        var outputs = model!.Run(
            new Dictionary<string, PluginTensor>
            {
                ["AUDIO"] = new(numbers, [1, numbers.Length]),
                ["GAIN"] = new(new[] { gain }, []),
            },
            cancellationToken);
        var scaled = (float[])outputs["OUT"].Values;
        var result = string.Join(",", scaled.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return ValueTask.FromResult(new PluginResult([new PluginData("result", "utf8", DataStatus.Once, Encoding.UTF8.GetBytes(result))]));
    }

    public IPluginSession CreateSession(IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<uint> resourceIds) =>
        throw new NotSupportedException("this plugin is one-shot");

    public ValueTask LoadResourceAsync(uint resourceId, PluginData data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask UnloadResourceAsync(uint resourceId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public string ErrorText(int code) => code switch
    {
        NotANumber => "NOT_A_NUMBER",
        NoNumbers => "NO_NUMBERS",
        _ => "UNKNOWN",
    };

    public ValueTask ShutdownAsync(CancellationToken cancellationToken)
    {
        model?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static float[] Parse(string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            throw new PluginException(NoNumbers, "the text holds no numbers");
        }

        var numbers = new float[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (!float.TryParse(items[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                throw new PluginException(NotANumber, $"item {i + 1} ('{items[i]}') is not a number");
            }
        }

        return numbers;
    }
}
