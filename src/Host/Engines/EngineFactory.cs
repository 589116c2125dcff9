using Inference.Host.Configuration;
using Inference.Onnx.Runtime;
using Inference.Packaging.Manifest;
using Inference.Plugins.Sdk;

namespace Inference.Host.Engines;

/// <summary>
/// Creates the engine a validated manifest describes from its unpacked package folder: the ONNX model
/// for ONNX-only plugins, the C library for native ones (initialised with the manifest's settings), the
/// SDK type in its own load context for managed ones (initialised with settings, environment and the
/// host's services). Used by the package loader and by the plugin authors' CLI, so both load alike.
/// </summary>
public sealed class EngineFactory(OrtEnvironment environment, OnnxRuntimeOptions ortOptions)
{
    /// <summary>The exceptions that mean "this package cannot be loaded" rather than a host bug.</summary>
    public static bool IsLoadFailure(Exception e) =>
        e is Packaging.Archive.PackageException or IOException or UnauthorizedAccessException or Onnx.Binding.OrtException or InvalidOperationException
            or DllNotFoundException or EntryPointNotFoundException or TypeLoadException or BadImageFormatException or MissingMethodException
            or Native.WrapperException or PluginException or NotSupportedException or ArgumentException;

    public async Task<IEngine> CreateAsync(PluginManifest manifest, string directory, CancellationToken cancellationToken)
    {
        var entry = manifest.Engine;
        switch (entry.Kind)
        {
            case EngineKind.Onnx:
                var session = InferenceSession.Create(environment, Path.Combine(directory, entry.Model!), ortOptions.ToSessionOptions($"{manifest.Service.Id}:{manifest.Service.Version}"));
                return new OnnxEngine(manifest, session);
            case EngineKind.Native:
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
                var managed = Plugins.Managed.ManagedPlugin.Load(Path.Combine(directory, entry.Assembly!), entry.Type!);
                var context = new PluginContext(directory, manifest.Config.Settings, manifest.Config.Env, new PluginServices(environment, directory, ortOptions));
                try
                {
                    await managed.Instance.InitAsync(context, cancellationToken);
                }
                catch
                {
                    await managed.UnloadAsync(CancellationToken.None);
                    throw;
                }

                return new ManagedEngine(manifest, managed);
        }
    }
}
