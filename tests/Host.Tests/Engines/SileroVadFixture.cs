using System.Text;
using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Infrastructure;
using Inference.Packaging.Manifest;
using Inference.Plugins.Managed;
using Inference.Plugins.Sdk;

namespace Inference.Host.Tests.Engines;

/// <summary>
/// The Silero VAD sample plugin as the host runs it: built into samples/packages/silero_vad/lib (the
/// test project builds it first), loaded into its own context as the manifest says, initialised with
/// the manifest's settings and the host's ONNX Runtime services. Shared by the tests of a class, as the
/// host shares one instance between requests.
/// </summary>
public sealed class SileroVadFixture : IAsyncLifetime
{
    public static readonly string PackageDirectory = Path.Combine(RepoPaths.Root, "samples", "packages", "silero_vad");

    private ManagedPlugin? plugin;

    public PluginManifest Manifest { get; private set; } = null!;

    public IEnginePlugin Plugin => plugin?.Instance ?? throw new InvalidOperationException("not loaded");

    /// <summary>The committed test audio: 16 kHz mono PCM16 LE.</summary>
    public byte[] Speech { get; } = File.ReadAllBytes(Path.Combine(PackageDirectory, "tests", "two_sentences.pcm"));

    public async Task InitializeAsync() => (plugin, Manifest) = await LoadAsync(PackageDirectory);

    public async Task DisposeAsync()
    {
        if (plugin is not null)
        {
            await plugin.UnloadAsync();
        }
    }

    /// <summary>Loads the plugin of the package in <paramref name="directory"/> the way the host's package loader does.</summary>
    public static async Task<(ManagedPlugin Plugin, PluginManifest Manifest)> LoadAsync(string directory)
    {
        var read = ManifestReader.ReadFile(Path.Combine(directory, "manifest.yaml"));
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        var manifest = read.Manifest!;
        var loaded = ManagedPlugin.Load(Path.Combine(directory, manifest.Engine.Assembly!), manifest.Engine.Type!);
        var services = new PluginServices(OrtTestEnvironment.Instance, directory, new OnnxRuntimeOptions());
        await loaded.Instance.InitAsync(new PluginContext(directory, manifest.Config.Settings, manifest.Config.Env, services), CancellationToken.None);
        return (loaded, manifest);
    }

    /// <summary>A one-shot call with the manifest's defaults filled in, as the host does, under <paramref name="parameters"/>.</summary>
    public PluginRequest Request(byte[] pcm, params (string Name, object? Value)[] parameters)
    {
        var values = Manifest.Parameters.Where(p => p.Default is not null).ToDictionary(p => p.Name, p => p.Default);
        foreach (var (name, value) in parameters)
        {
            values[name] = value;
        }

        return new PluginRequest("r", values, new Dictionary<string, PluginData> { ["audio"] = new("audio", "pcm_s16le", DataStatus.Once, pcm) }, new Dictionary<string, string?>(), []);
    }

    /// <summary>The one-shot answer's text (NDJSON).</summary>
    public async Task<string> DetectAsync(byte[] pcm, params (string Name, object? Value)[] parameters) =>
        await DetectAsync(Plugin, Request(pcm, parameters));

    public static async Task<string> DetectAsync(IEnginePlugin plugin, PluginRequest request)
    {
        var result = await plugin.ExecuteAsync(request, CancellationToken.None);
        var segments = Assert.Single(result.Data);
        Assert.Equal(("segments", "utf8"), (segments.Name, segments.Encoding));
        return Encoding.UTF8.GetString(segments.Data.Span);
    }

    /// <summary>Streams <paramref name="pcm"/> in chunks of <paramref name="chunkBytes"/> (Begin, Continue..., End) and reads every result.</summary>
    public async Task<List<PluginData>> StreamAsync(byte[] pcm, int chunkBytes, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        await using var session = Plugin.CreateSession(parameters ?? new Dictionary<string, object?>(), []);
        var reading = ReadAllAsync(session);
        foreach (var chunk in Chunks(pcm, chunkBytes))
        {
            await session.WriteAsync(chunk, CancellationToken.None);
        }

        return await reading;
    }

    public static async Task<List<PluginData>> ReadAllAsync(IPluginSession session)
    {
        var results = new List<PluginData>();
        await foreach (var result in session.ReadAllAsync(CancellationToken.None))
        {
            results.Add(result);
        }

        return results;
    }

    /// <summary>The audio cut into chunks with the stream statuses; the last one is End.</summary>
    public static IEnumerable<PluginData> Chunks(byte[] pcm, int chunkBytes)
    {
        for (var offset = 0; offset < pcm.Length; offset += chunkBytes)
        {
            var length = Math.Min(chunkBytes, pcm.Length - offset);
            var status = offset + length == pcm.Length ? DataStatus.End : offset == 0 ? DataStatus.Begin : DataStatus.Continue;
            yield return new PluginData("audio", "pcm_s16le", status, pcm.AsMemory(offset, length));
        }
    }
}
