using Inference.Host.Configuration;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Inference.Onnx.Runtime;
using Inference.Packaging.Archive;
using Inference.Packaging.Manifest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Engines;

/// <summary>
/// Installs and loads every plugin package (<c>&lt;service&gt;-&lt;version&gt;.tar.gz</c> with its
/// <c>.md5</c>) found in the repository at start: verified, extracted safely, manifest validated, its
/// service and version checked against the file name, then its engine created. A package that fails
/// any step is registered UNAVAILABLE with the reason; the others load.
/// </summary>
public sealed class PackageLoader(
    EngineRegistry registry,
    OrtEnvironment environment,
    IOptions<ServerOptions> serverOptions,
    IOptions<OnnxRuntimeOptions> ortOptions,
    ILogger<PackageLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAllAsync(cancellationToken);
        registry.MarkLoaded();
    }

    private async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        var repository = RepositoryLoader.RepositoryPath(serverOptions.Value);
        if (!Directory.Exists(repository))
        {
            return; // the model loader reports a missing repository
        }

        var installRoot = string.IsNullOrWhiteSpace(serverOptions.Value.PackageInstallRoot)
            ? Path.Combine(repository, ".installed")
            : serverOptions.Value.PackageInstallRoot;
        var packages = Directory.EnumerateFiles(repository, "*.tar.gz").Order(StringComparer.Ordinal).ToList();
        if (packages.Count == 0)
        {
            return;
        }

        var installer = new PackageInstaller(installRoot);
        foreach (var package in packages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await LoadAsync(installer, package, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadAsync(PackageInstaller installer, string package, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(package);
        if (!PackageFileName.TryParse(fileName, out var name))
        {
            HostLog.EngineUnavailable(logger, fileName, "the file name is not <service>-<MAJOR.MINOR.PATCH>.tar.gz");
            return;
        }

        SemanticVersion.TryParse(name!.Version, out var version);
        try
        {
            var installed = installer.Install(package, replace: true, cancellationToken: cancellationToken);
            var read = ManifestReader.ReadFile(installed.ManifestPath);
            if (!read.IsValid)
            {
                Unavailable(name.Service, version, fileName, "invalid manifest: " + string.Join("; ", read.Problems.Take(10)));
                return;
            }

            var manifest = read.Manifest!;
            if (manifest.Service.Id != name.Service || manifest.Service.Version != version)
            {
                Unavailable(name.Service, version, fileName, $"the manifest says {manifest.Service.Id} {manifest.Service.Version} but the file is {name.Service} {version}");
                return;
            }

            var engine = await CreateEngineAsync(manifest, installed.Directory, cancellationToken);
            registry.Set(new EngineVersionEntry(name.Service, version, ModelState.Ready, null, engine, fileName));
            HostLog.EngineReady(logger, name.Service, version.ToString(), manifest.Engine.Kind.ToString(), fileName);
        }
        catch (Exception e) when (e is PackageException or IOException or UnauthorizedAccessException or Onnx.Binding.OrtException or InvalidOperationException
                                       or DllNotFoundException or EntryPointNotFoundException or TypeLoadException or BadImageFormatException or MissingMethodException
                                       or Native.WrapperException or Plugins.Sdk.PluginException)
        {
            Unavailable(name.Service, version, fileName, e.Message);
        }
    }

    private async Task<IEngine> CreateEngineAsync(PluginManifest manifest, string directory, CancellationToken cancellationToken)
    {
        var entry = manifest.Engine;
        switch (entry.Kind)
        {
            case EngineKind.Onnx:
                var session = InferenceSession.Create(environment, Path.Combine(directory, entry.Model!), ortOptions.Value.ToSessionOptions($"{manifest.Service.Id}:{manifest.Service.Version}"));
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
                var context = new Plugins.Sdk.PluginContext(directory, manifest.Config.Settings, manifest.Config.Env, new PluginServices(environment, directory, ortOptions.Value));
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

    private void Unavailable(string service, SemanticVersion version, string package, string reason)
    {
        HostLog.EngineUnavailable(logger, package, reason);
        registry.Set(new EngineVersionEntry(service, version, ModelState.Unavailable, reason, null, package));
    }
}
