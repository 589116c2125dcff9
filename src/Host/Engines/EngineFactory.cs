using Inference.Host.Admission;
using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;
using Inference.Packaging.Manifest;
using Inference.Plugins.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inference.Host.Engines;

/// <summary>
/// Creates the engine a validated manifest describes from its unpacked package folder: the ONNX model
/// for ONNX-only plugins, the C library for native ones (initialised with the manifest's settings), the
/// SDK type in its own load context for managed ones (initialised with settings, environment and the
/// host's services), with the instances and batching asked for. Used by the package loader and by the
/// plugin authors' CLI, so both load alike.
/// </summary>
public sealed class EngineFactory(OrtEnvironment environment, OnnxRuntimeOptions ortOptions, TimeProvider? time = null, ILogger? logger = null, PinnedBufferPool? buffers = null)
{
    /// <summary>The exceptions that mean "this package cannot be loaded" rather than a host bug.</summary>
    public static bool IsLoadFailure(Exception e) =>
        e is Packaging.Archive.PackageException or IOException or UnauthorizedAccessException or Onnx.Binding.OrtException or InvalidOperationException
            or DllNotFoundException or EntryPointNotFoundException or TypeLoadException or BadImageFormatException or MissingMethodException
            or Native.WrapperException or PluginException or NotSupportedException or ArgumentException or SchedulingConfigurationException;

    /// <summary>Where an engine's settings live: <c>Engines:{service}</c>.</summary>
    public static string ConfigurationPath(PluginManifest manifest) => $"{LoadLimitsProvider.EnginesSection}:{manifest.Service.Id}";

    /// <summary>The engine with one instance and no batching.</summary>
    public Task<IEngine> CreateAsync(PluginManifest manifest, string directory, CancellationToken cancellationToken) =>
        CreateAsync(manifest, directory, ModelSchedulingOptions.Default, cancellationToken);

    /// <exception cref="SchedulingConfigurationException">a setting cannot be honoured by this kind of engine (the message names the key).</exception>
    public async Task<IEngine> CreateAsync(PluginManifest manifest, string directory, ModelSchedulingOptions scheduling, CancellationToken cancellationToken)
    {
        var entry = manifest.Engine;
        var sessionOptions = ortOptions.ToSessionOptions($"{manifest.Service.Id}:{manifest.Service.Version}");
        switch (entry.Kind)
        {
            case EngineKind.Onnx:
                return OnnxEngine.Create(manifest, directory, scheduling, environment, sessionOptions, time ?? TimeProvider.System, buffers ?? PinnedBufferPool.Shared, logger ?? NullLogger.Instance);
            case EngineKind.Native:
                if (NativeEngine.SchedulingProblem(scheduling, ConfigurationPath(manifest)) is { } problem)
                {
                    throw new SchedulingConfigurationException(problem);
                }

                var wrapper = Native.WrapperPlugin.Load(Path.Combine(directory, entry.Library!));
                try
                {
                    wrapper.Init(manifest.Config.Settings);
                }
                catch
                {
                    wrapper.Dispose();
                    throw;
                }

                return new NativeEngine(manifest, wrapper);
            default:
                return await ManagedEngine.CreateAsync(manifest, directory, scheduling, environment, sessionOptions, time ?? TimeProvider.System, logger ?? NullLogger.Instance, cancellationToken);
        }
    }
}
