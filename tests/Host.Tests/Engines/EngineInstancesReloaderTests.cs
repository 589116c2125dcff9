using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Registry;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Infrastructure;
using Inference.Packaging.Manifest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Inference.Host.Tests.Engines.EngineTestRequests;

namespace Inference.Host.Tests.Engines;

/// <summary><c>Engines:{service}:Instances:Count</c> followed across configuration reloads: instances added and removed live.</summary>
public sealed class EngineInstancesReloaderTests : IAsyncDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reloader-");
    private readonly EngineRegistry registry = new();
    private readonly IConfigurationRoot configuration = SettingsRoot("lanes", ("Instances:Count", "2"));
    private readonly RecordingLogger logger = new();

    public async ValueTask DisposeAsync()
    {
        await registry.DisposeAsync();
        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task AReloadedCountAddsOrRemovesInstancesAndRemovingTheKeyGoesBackToTheLoadedCount()
    {
        var engine = await LoadAsync();
        using var reloader = new EngineInstancesReloader(configuration, registry, logger);
        await reloader.StartAsync(CancellationToken.None);

        configuration["Engines:lanes:Instances:Count"] = "4";
        configuration.Reload();
        await WaitUntil(() => engine.InstanceCount == 4);

        configuration["Engines:lanes:Instances:Count"] = "1";
        await reloader.ApplyAsync();
        Assert.Equal(1, engine.InstanceCount);

        configuration["Engines:lanes:Instances:Count"] = null;
        await reloader.ApplyAsync();
        Assert.Equal(2, engine.InstanceCount);
        Assert.Contains("Engine lanes 1.0.0: instances changed from 4 to 1", logger.Messages);
    }

    [Fact]
    public async Task AnInvalidCountIsRefusedWithAWarningAndTheInstancesStay()
    {
        var engine = await LoadAsync();
        using var reloader = new EngineInstancesReloader(configuration, registry, logger);

        configuration["Engines:lanes:Instances:Count"] = "many";
        await reloader.ApplyAsync();

        Assert.Equal(2, engine.InstanceCount);
        Assert.Contains(
            "Engine lanes 1.0.0: the instance count was not changed: Engines:lanes:Instances:Count is 'many'; it must be a whole number from 1 to 256",
            logger.Messages);
    }

    [Fact]
    public async Task RequestsInFlightDuringAReloadAllFinish()
    {
        var engine = await LoadAsync();
        using var reloader = new EngineInstancesReloader(configuration, registry, logger);
        var running = Enumerable.Range(0, 6).Select(i => engine.ExecuteAsync(Lanes($"r{i}", delayMs: 200), CancellationToken.None).AsTask()).ToArray();

        configuration["Engines:lanes:Instances:Count"] = "1";
        await reloader.ApplyAsync().WaitAsync(Patience);

        var results = await Task.WhenAll(running).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"R{i}"), results.Select(r => Fields(r)["text"]));
        Assert.Equal(1, engine.InstanceCount);
    }

    [Fact]
    public async Task TheHostFollowsItsSettingsFile()
    {
        await using var host = await LanesHost.StartAsync("""{ "Engines": { "lanes": { "Instances": { "Count": 2 } } } }""");
        Assert.Equal(2, (await host.StatsOf("lanes")).GetProperty("instances").GetProperty("count").GetInt32());

        await File.WriteAllTextAsync(host.SettingsFile, """{ "Engines": { "lanes": { "Instances": { "Count": 3 } } } }""");

        using var timeout = new CancellationTokenSource(Patience);
        while ((await host.StatsOf("lanes")).GetProperty("instances").GetProperty("count").GetInt32() != 3)
        {
            await Task.Delay(20, timeout.Token);
        }

        Assert.Equal(200, (await host.PostAsync("lanes", "still")).Status);
    }

    private async Task<IEngine> LoadAsync()
    {
        TestPackages.Unpack(directory.FullName, TestPackages.LanesManifest, "LanesPlugin");
        var manifest = ManifestReader.ReadFile(Path.Combine(directory.FullName, "manifest.yaml")).Manifest!;
        var scheduling = Inference.Host.Scheduling.ModelSchedulingConfiguration.Read(configuration.GetSection("Engines").GetSection("lanes"));
        var engine = await new EngineFactory(OrtTestEnvironment.Instance, new OnnxRuntimeOptions()).CreateAsync(manifest, directory.FullName, scheduling, CancellationToken.None);
        registry.Set(new EngineVersionEntry("lanes", manifest.Service.Version, ModelState.Ready, null, engine, "lanes-1.0.0.tar.gz"));
        return engine;
    }

    private sealed class RecordingLogger : ILogger<EngineInstancesReloader>
    {
        private readonly List<string> messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (messages)
                {
                    return [.. messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => NullLogger.Instance.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (messages)
            {
                messages.Add(formatter(state, exception));
            }
        }
    }
}
