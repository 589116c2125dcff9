using Inference.Host.Protocol.Engine;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>
/// What every plugin kind looks like to the host: a manifest and a one-shot call. ONNX-only, managed
/// and native plugins implement it; the protocols never see which kind is behind it.
/// </summary>
public interface IEngine : IAsyncDisposable
{
    PluginManifest Manifest { get; }

    /// <summary>Runs a request already validated against the manifest; plugin failures are <see cref="EnginePluginException"/>.</summary>
    ValueTask<IReadOnlyList<EngineDataSegment>> ExecuteAsync(EngineRequest request, CancellationToken cancellationToken);
}
