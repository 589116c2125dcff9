using Inference.Host.Protocol.Engine;
using Inference.Host.Scheduling;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>
/// What every plugin kind looks like to the host: a manifest, a one-shot call, and the instances that
/// serve it. ONNX-only, managed and native plugins implement it; the protocols never see which kind is
/// behind it.
/// </summary>
public interface IEngine : IAsyncDisposable
{
    PluginManifest Manifest { get; }

    /// <summary>The instances and batching it was loaded with (<c>Engines:{service}:Instances</c> / <c>Batching</c>).</summary>
    ModelSchedulingOptions Scheduling { get; }

    /// <summary>Instances in the rotation now.</summary>
    int InstanceCount { get; }

    /// <summary>Runs a request already validated against the manifest; plugin failures are <see cref="EnginePluginException"/>.</summary>
    ValueTask<IReadOnlyList<EngineDataSegment>> ExecuteAsync(EngineRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Adds instances or removes the newest until there are <paramref name="count"/>; a removed instance
    /// takes no new calls, finishes those it has, and is then closed, so no request is lost.
    /// </summary>
    /// <exception cref="InvalidOperationException">this engine cannot have that many instances (the reason says why).</exception>
    Task SetInstanceCountAsync(int count, CancellationToken cancellationToken);

    /// <summary>Its instances and batching now, for <c>/v1/engines/stats</c>.</summary>
    EngineSchedulingSnapshot Snapshot();
}
