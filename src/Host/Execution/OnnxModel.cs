using Inference.Host.Observability;
using Inference.Onnx.Runtime;

namespace Inference.Host.Execution;

/// <summary>A model version loaded into an ORT session, with its statistics.</summary>
public sealed class OnnxModel(string name, long version, InferenceSession session, ModelStatistics statistics) : IDisposable
{
    public const string Platform = "onnxruntime_onnx";

    public string Name { get; } = name;

    public long Version { get; } = version;

    public string VersionText { get; } = version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public InferenceSession Session { get; } = session;

    public ModelStatistics Statistics { get; } = statistics;

    public IReadOnlyList<TensorMetadata> Inputs => Session.Inputs;

    public IReadOnlyList<TensorMetadata> Outputs => Session.Outputs;

    public void Dispose() => Session.Dispose();
}
