using Inference.Host.Admission;
using Inference.Host.Configuration;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Registry;

/// <summary>
/// Loads every model of the repository at start, before the server listens. A model that fails is
/// registered as UNAVAILABLE with its reason and the others load; only a missing repository or an
/// execution provider that was required and is missing stops the host.
/// </summary>
public sealed class RepositoryLoader(ModelRegistry registry, OnnxModelLoader loader, LoadLimitsProvider limits, IOptions<ServerOptions> options, ILogger<RepositoryLoader> logger) : IHostedService
{
    /// <summary>The folder of sample models copied beside the host by the build.</summary>
    public static string DefaultRepository => Path.Combine(AppContext.BaseDirectory, "samples", "models");

    /// <summary>The repository the host serves: the configured one, else the shipped samples.</summary>
    public static string RepositoryPath(ServerOptions options) =>
        string.IsNullOrWhiteSpace(options.Repository) ? DefaultRepository : options.Repository;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var repository = RepositoryPath(options.Value);
        HostLog.RepositoryScanned(logger, Path.GetFullPath(repository));
        var sources = ModelRepositoryScanner.Scan(repository);
        var ready = 0;
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (source.Problem is not null && source.Version > 0 && registry.Versions(source.Name).Any(v => v.Version == source.Version))
            {
                // A duplicate of a version already registered: reported, never put over the one served.
                HostLog.ModelUnavailable(logger, source.Name, source.Version, source.Problem);
                continue;
            }

            registry.Set(new ModelVersionEntry(source.Name, source.Version, ModelState.Loading, null, null));
            var entry = WithGate(loader.Load(source));
            registry.Set(entry);
            ready += entry.State == ModelState.Ready ? 1 : 0;
        }

        registry.MarkRepositoryLoaded();
        HostLog.RepositoryLoaded(logger, ready, sources.Count);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A ready model is warmed up and gets its gate (it is still LOADING to clients meanwhile); limits
    /// that the configuration gets wrong make it unavailable, naming the key.
    /// </summary>
    private ModelVersionEntry WithGate(ModelVersionEntry entry)
    {
        if (entry.State != ModelState.Ready)
        {
            return entry;
        }

        var configured = limits.ForModel(entry.Name, out var problem);
        if (problem is null)
        {
            if (options.Value.WarmUpModels)
            {
                // Every instance: each is its own session with its own lazy start-up, run the way it serves.
                foreach (var instance in entry.Model!.Instances.Instances)
                {
                    if (ModelWarmUp.Run(instance) is { } warmUpProblem)
                    {
                        HostLog.WarmUpFailed(logger, entry.Name, entry.Version, warmUpProblem);
                        break;
                    }
                }
            }

            return entry with { Gate = new AdmissionGate(configured) };
        }

        entry.Model?.Dispose();
        HostLog.ModelUnavailable(logger, entry.Name, entry.Version, problem);
        return entry with { State = ModelState.Unavailable, Reason = problem, Model = null };
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
