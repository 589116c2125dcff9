using Inference.Host.Observability;
using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;
using Inference.Packaging.Manifest;
using Inference.Plugins.Managed;
using Inference.Plugins.Sdk;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Engines;

/// <summary>
/// Makes and shuts down the plugin objects of one managed engine version: the first is the object the
/// load made, the others new objects of its type in the same load context (one context per version, so
/// unloading frees them all). Each is initialised with its own number and device, and with services
/// whose models open on that device with the instance's thread settings.
/// </summary>
internal sealed class ManagedInstances(ManagedPlugin plugin, PluginManifest manifest, string directory, OrtEnvironment environment, InstanceFactory sessions, ILogger logger)
{
    private readonly IEnginePlugin primary = plugin.Instance;
    private int primaryTaken;

    public async ValueTask<IEnginePlugin> CreateAsync(int id, InstanceDevice device, CancellationToken cancellationToken)
    {
        var instance = Interlocked.Exchange(ref primaryTaken, 1) == 0 ? primary : plugin.CreateInstance();
        var services = new PluginServices(environment, directory, sessions.SessionOptionsFor(device));
        var context = new PluginContext(directory, manifest.Config.Settings, manifest.Config.Env, services) { InstanceId = id, Device = device.ToString() };
        try
        {
            await instance.InitAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (!ReferenceEquals(instance, primary))
            {
                await ShutDownQuietlyAsync(id, instance).ConfigureAwait(false);
            }

            throw;
        }

        return instance;
    }

    /// <summary>Shuts a removed instance down; the first object is left to <see cref="ManagedPlugin.UnloadAsync"/>.</summary>
    public ValueTask ShutDownAsync(EngineInstance<IEnginePlugin> instance) =>
        ReferenceEquals(instance.Value, primary) ? ValueTask.CompletedTask : ShutDownQuietlyAsync(instance.Id, instance.Value);

    private async ValueTask ShutDownQuietlyAsync(int id, IEnginePlugin instance)
    {
        try
        {
            await instance.ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The instance is out of the rotation either way; a plugin's failing shutdown must not stop a resize or an unload.
            EngineInstancesLog.ShutdownFailed(logger, manifest.Service.Id, manifest.Service.Version.ToString(), id, e.Message);
        }
    }
}
