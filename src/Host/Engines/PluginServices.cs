using System.Buffers;
using Inference.Host.Configuration;
using Inference.Onnx.Runtime;
using Inference.Plugins.Sdk;

namespace Inference.Host.Engines;

/// <summary>
/// The host services a managed plugin gets: models run by the host's ONNX Runtime, shared buffers.
/// Each plugin instance has its own, whose models open with that instance's device and threads.
/// </summary>
internal sealed class PluginServices(OrtEnvironment environment, string packageDirectory, OnnxSessionOptions sessionOptions) : IPluginServices
{
    /// <summary>Services whose models open with the host's <c>OnnxRuntime</c> settings.</summary>
    public PluginServices(OrtEnvironment environment, string packageDirectory, OnnxRuntimeOptions options)
        : this(environment, packageDirectory, options.ToSessionOptions(""))
    {
    }

    public ArrayPool<byte> Buffers => ArrayPool<byte>.Shared;

    public IPluginModel OpenModel(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(packageDirectory, relativePath));
        if (!full.StartsWith(Path.GetFullPath(packageDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is outside the package", nameof(relativePath));
        }

        return new PluginModel(InferenceSession.Create(environment, full, sessionOptions with { LogId = relativePath }));
    }
}
