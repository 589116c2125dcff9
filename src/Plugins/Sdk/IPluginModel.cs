namespace Inference.Plugins.Sdk;

/// <summary>
/// An ONNX model opened for a plugin. Inputs and outputs are named; values are flat arrays with a
/// shape (float, long, int, double, bool, byte, string arrays). Thread-safe for concurrent runs.
/// </summary>
public interface IPluginModel : IDisposable
{
    IReadOnlyList<string> InputNames { get; }

    IReadOnlyList<string> OutputNames { get; }

    IReadOnlyDictionary<string, PluginTensor> Run(IReadOnlyDictionary<string, PluginTensor> inputs, CancellationToken cancellationToken = default);
}
