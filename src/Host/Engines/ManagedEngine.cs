using Inference.Host.Protocol.Engine;
using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;
using Inference.Packaging.Manifest;
using Inference.Plugins.Managed;
using Inference.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Engines;

/// <summary>
/// A managed plugin (the SDK's IEnginePlugin in its own load context) behind the engine interface: one
/// plugin object by default, called concurrently as the SDK says; with <c>Engines:{service}:Instances</c>
/// several objects, each taking one call at a time; with <c>Batching</c> (for plugins that implement
/// <see cref="IBatchingPlugin"/>) concurrent requests merged into one batch call.
/// </summary>
public sealed class ManagedEngine : IEngine
{
    private readonly ManagedPlugin plugin;
    private readonly IEnginePlugin primary;
    private readonly EngineInstancePool<IEnginePlugin> instances;
    private readonly PluginBatcher? batcher;

    private ManagedEngine(PluginManifest manifest, ManagedPlugin plugin, EngineInstancePool<IEnginePlugin> instances, PluginBatcher? batcher, ModelSchedulingOptions scheduling)
    {
        Manifest = manifest;
        Scheduling = scheduling;
        this.plugin = plugin;
        primary = plugin.Instance;
        this.instances = instances;
        this.batcher = batcher;
    }

    public PluginManifest Manifest { get; }

    public ModelSchedulingOptions Scheduling { get; }

    public int InstanceCount => instances.Count;

    /// <summary>Loads the plugin's type and makes its instances; a setting that cannot be honoured is a <see cref="SchedulingConfigurationException"/> naming its key.</summary>
    internal static async Task<ManagedEngine> CreateAsync(
        PluginManifest manifest,
        string directory,
        ModelSchedulingOptions scheduling,
        OrtEnvironment environment,
        OnnxSessionOptions sessionOptions,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var path = EngineFactory.ConfigurationPath(manifest);
        var entry = manifest.Engine;
        var managed = ManagedPlugin.Load(Path.Combine(directory, entry.Assembly!), entry.Type!);
        EngineInstancePool<IEnginePlugin>? pool = null;
        var loaded = false;
        try
        {
            if (scheduling.Batching.Enabled && managed.Instance is not IBatchingPlugin)
            {
                throw new SchedulingConfigurationException(
                    $"{path}:Batching:MaxBatchSize is {scheduling.Batching.MaxBatchSize} but {entry.Type} does not implement {nameof(IBatchingPlugin)}, so its requests cannot be batched (remove {path}:Batching, or implement the interface)");
            }

            // The ONNX side's factory gives the devices and each device's session options (threads, provider, CUDA fallback).
            var sessions = new InstanceFactory(static _ => throw new NotSupportedException("plugin instances open their models through IPluginServices"), sessionOptions, scheduling.Instances);
            var made = new ManagedInstances(managed, manifest, directory, environment, sessions, logger);
            pool = new EngineInstancePool<IEnginePlugin>(sessions.Devices, scheduling.Instances.Exclusive ? 1 : ModelInstance.Unlimited, made.CreateAsync, made.ShutDownAsync);
            await pool.SetCountAsync(scheduling.Instances.EffectiveCount, cancellationToken).ConfigureAwait(false);
            var batcher = scheduling.Batching.Enabled ? new PluginBatcher(pool, scheduling.Batching, time) : null;
            loaded = true;
            return new ManagedEngine(manifest, managed, pool, batcher, scheduling);
        }
        catch (ExecutionProviderUnavailableException e) when (scheduling.Instances.Devices.Count > 0)
        {
            // The engine's own devices: this engine cannot load, the host and the others can.
            throw new SchedulingConfigurationException($"{path}:Instances:Devices: {e.Message}");
        }
        finally
        {
            if (!loaded)
            {
                if (pool is not null)
                {
                    await pool.DisposeAsync().ConfigureAwait(false);
                }

                await managed.UnloadAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The plugin object, for what is not a one-shot call (streaming sessions, src/Host/Streaming).</summary>
    public IEnginePlugin Plugin => primary;

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
            var result = batcher is not null
                ? await batcher.ExecuteAsync(pluginRequest, cancellationToken).ConfigureAwait(false)
                : await ExecuteAloneAsync(pluginRequest, cancellationToken).ConfigureAwait(false);
            return result.Data.Select(d => new EngineDataSegment(d.Name, d.Encoding, (int)d.Status, d.Data)).ToList();
        }
        catch (PluginException e)
        {
            throw new EnginePluginException(e.Code, $"{primary.ErrorText(e.Code)}: {e.Message}", e);
        }
    }

    public Task SetInstanceCountAsync(int count, CancellationToken cancellationToken) => instances.SetCountAsync(count, cancellationToken);

    public EngineSchedulingSnapshot Snapshot() => new(
        instances.Instances.Select(i => new EngineInstanceSnapshot(i.Id, i.Device.ToString(), i.Running, i.Runs)).ToArray(),
        instances.RunsPerInstance == ModelInstance.Unlimited ? null : instances.RunsPerInstance,
        instances.Waiting,
        batcher is null ? null : new EngineBatchingSnapshot(batcher.Options, batcher.Queued, batcher.Counters.Sizes()));

    public async ValueTask DisposeAsync()
    {
        batcher?.Dispose();
        await instances.DisposeAsync().ConfigureAwait(false);
        await plugin.UnloadAsync().ConfigureAwait(false);
    }

    private async Task<PluginResult> ExecuteAloneAsync(PluginRequest request, CancellationToken cancellationToken)
    {
        var instance = await instances.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await instance.Value.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            instances.Release(instance);
        }
    }
}
