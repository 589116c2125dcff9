using Inference.Host.Protocol.Engine;
using Inference.Packaging.Manifest;
using Inference.Plugins.Managed;
using Inference.Plugins.Sdk;

namespace Inference.Host.Engines;

/// <summary>A managed plugin (the SDK's IEnginePlugin in its own load context) behind the engine interface.</summary>
public sealed class ManagedEngine(PluginManifest manifest, ManagedPlugin plugin) : IEngine
{
    public PluginManifest Manifest { get; } = manifest;

    /// <summary>The plugin object, for what is not a one-shot call (streaming sessions, src/Host/Streaming).</summary>
    public IEnginePlugin Plugin => plugin.Instance;

    public async ValueTask<IReadOnlyList<EngineDataSegment>> ExecuteAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        var pluginRequest = new PluginRequest(
            request.RequestId,
            request.Parameters,
            request.Payload.ToDictionary(p => p.Key, p => new PluginData(p.Value.Name, p.Value.Encoding, (DataStatus)p.Value.Status, p.Value.Data)),
            request.Expect,
            []);
        try
        {
            var result = await plugin.Instance.ExecuteAsync(pluginRequest, cancellationToken);
            return result.Data.Select(d => new EngineDataSegment(d.Name, d.Encoding, (int)d.Status, d.Data)).ToList();
        }
        catch (PluginException e)
        {
            throw new EnginePluginException(e.Code, $"{plugin.Instance.ErrorText(e.Code)}: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync() => await plugin.UnloadAsync();
}
