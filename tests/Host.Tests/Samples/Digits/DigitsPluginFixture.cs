using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Tests.Execution;
using Inference.Packaging.Manifest;
using Inference.Plugins.Managed;
using Inference.Plugins.Sdk;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// The digits plugin as the host runs it: its built assembly (lib/) loaded into its own load context,
/// initialised with the manifest's settings and the host's plugin services over the tests' ORT environment.
/// </summary>
public sealed class DigitsPluginFixture : IAsyncLifetime
{
    private ManagedPlugin? loaded;

    public PluginManifest Manifest { get; private set; } = null!;

    public IEnginePlugin Plugin => loaded?.Instance ?? throw new InvalidOperationException("not loaded");

    public async Task InitializeAsync()
    {
        var read = ManifestReader.ReadFile(Path.Combine(DigitsPaths.Package, "manifest.yaml"));
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        Manifest = read.Manifest!;
        loaded = ManagedPlugin.Load(Path.Combine(DigitsPaths.Package, Manifest.Engine.Assembly!), Manifest.Engine.Type!);
        var services = new PluginServices(OrtTestEnvironment.Instance, DigitsPaths.Package, new OnnxRuntimeOptions());
        await loaded.Instance.InitAsync(new PluginContext(DigitsPaths.Package, Manifest.Config.Settings, Manifest.Config.Env, services), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (loaded is not null)
        {
            await loaded.UnloadAsync();
        }
    }
}
