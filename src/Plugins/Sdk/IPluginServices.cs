using System.Buffers;

namespace Inference.Plugins.Sdk;

/// <summary>
/// Host services a plugin may use, so that it stays a thin pre/post-processing layer: ONNX models run
/// by the host's ONNX Runtime (with the host's execution provider and threads), and pooled buffers.
/// </summary>
public interface IPluginServices
{
    /// <summary>Opens a model of the package (path relative to the package folder) in the host's ONNX Runtime.</summary>
    IPluginModel OpenModel(string relativePath);

    /// <summary>Pooled byte buffers; return what you rent.</summary>
    ArrayPool<byte> Buffers { get; }
}
