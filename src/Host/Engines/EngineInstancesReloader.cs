using System.Runtime.CompilerServices;
using Inference.Host.Admission;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Inference.Host.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Inference.Host.Engines;

/// <summary>
/// Follows <c>Engines:{service}:Instances:Count</c> across configuration reloads and adds or removes
/// instances of every loaded engine version live (the other <c>Instances</c> and <c>Batching</c>
/// settings apply at the next load). A count that cannot be read or applied is refused with a warning
/// (event 1302) and the instances stay; removing the key goes back to the count the engine loaded with.
/// </summary>
public sealed class EngineInstancesReloader(IConfiguration configuration, EngineRegistry engines, ILogger<EngineInstancesReloader> logger) : IHostedService, IDisposable
{
    private readonly ConditionalWeakTable<IEngine, Target> targets = [];
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => _ = ApplyAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Reads every engine's count now and applies those that changed; completes when they are applied.</summary>
    public Task ApplyAsync()
    {
        var work = new List<Task>();
        foreach (var entry in engines.All())
        {
            if (entry is not { State: ModelState.Ready, Engine: { } engine })
            {
                continue;
            }

            int count;
            try
            {
                var section = configuration.GetSection(LoadLimitsProvider.EnginesSection).GetSection(entry.Service);
                count = ModelSchedulingConfiguration.ReadInstanceCount(section, engine.Scheduling.Instances.EffectiveCount);
            }
            catch (SchedulingConfigurationException e)
            {
                EngineInstancesLog.InstanceCountNotChanged(logger, entry.Service, entry.Version.ToString(), e.Message);
                continue;
            }

            var target = targets.GetValue(engine, static _ => new Target());
            if (Interlocked.Exchange(ref target.Desired, count) != count || engine.InstanceCount != count)
            {
                // Initialising instances takes a while: not on the thread that reloads the configuration.
                work.Add(Task.Run(() => ApplyAsync(entry, engine, target)));
            }
        }

        return Task.WhenAll(work);
    }

    public void Dispose() => subscription?.Dispose();

    private async Task ApplyAsync(EngineVersionEntry entry, IEngine engine, Target target)
    {
        await target.Applying.WaitAsync().ConfigureAwait(false);
        try
        {
            // The latest wish, whichever reload queued this: rapid changes end at the last one.
            var wanted = Volatile.Read(ref target.Desired);
            var from = engine.InstanceCount;
            if (from != wanted)
            {
                await engine.SetInstanceCountAsync(wanted, CancellationToken.None).ConfigureAwait(false);
                EngineInstancesLog.InstanceCountChanged(logger, entry.Service, entry.Version.ToString(), from, wanted);
            }
        }
        catch (Exception e) when (EngineFactory.IsLoadFailure(e) || e is Onnx.Runtime.ExecutionProviderUnavailableException)
        {
            EngineInstancesLog.InstanceCountNotChanged(logger, entry.Service, entry.Version.ToString(), e.Message);
        }
        finally
        {
            target.Applying.Release();
        }
    }

    /// <summary>One engine's wished count, and the lock that applies one change at a time.</summary>
    private sealed class Target
    {
        public int Desired;

        public SemaphoreSlim Applying { get; } = new(1, 1);
    }
}
