using Inference.Plugins.Sdk;

namespace Inference.Samples.SileroVad;

/// <summary>
/// The Silero VAD v5 network (16 kHz): 512 new samples after 64 of context in, a speech probability
/// and the next recurrent state out. One instance serves every stream; each stream keeps its own state
/// and context (see <see cref="SpeechDetector"/>), so runs may overlap.
/// </summary>
public sealed class SileroModel : IDisposable
{
    public const int WindowSamples = 512;
    public const int ContextSamples = 64;
    public const int StateSize = 2 * 1 * 128;

    private static readonly long[] InputShape = [1, ContextSamples + WindowSamples];
    private static readonly long[] StateShape = [2, 1, 128];
    private static readonly long[] SampleRate = [VadSettings.SampleRate];
    private static readonly string[] Inputs = ["input", "state", "sr"];
    private static readonly string[] Outputs = ["output", "stateN"];

    private readonly IPluginModel model;

    public SileroModel(IPluginModel model)
    {
        var missing = Inputs.Except(model.InputNames).Concat(Outputs.Except(model.OutputNames)).ToList();
        if (missing.Count > 0)
        {
            model.Dispose();
            throw new InvalidOperationException($"the model is not Silero VAD v5: it lacks {string.Join(", ", missing)} (inputs: {string.Join(", ", model.InputNames)}; outputs: {string.Join(", ", model.OutputNames)})");
        }

        this.model = model;
    }

    /// <summary>Scores one window (<paramref name="input"/>: context then window) and advances <paramref name="state"/> in place.</summary>
    public float Score(float[] input, float[] state, CancellationToken cancellationToken)
    {
        var outputs = model.Run(
            new Dictionary<string, PluginTensor>(3, StringComparer.Ordinal)
            {
                ["input"] = new(input, InputShape),
                ["state"] = new(state, StateShape),
                ["sr"] = new(SampleRate, []),
            },
            cancellationToken);
        ((float[])outputs["stateN"].Values).AsSpan().CopyTo(state);
        return ((float[])outputs["output"].Values)[0];
    }

    public void Dispose() => model.Dispose();
}
