using Inference.Host.Engines;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Inference.Host.Admission;

/// <summary>
/// Applies the configured load limits to every loaded model and engine when the configuration reloads
/// (appsettings.json or a <c>--settings</c> file edited while the host runs). Limits that do not fit
/// together are refused with a warning and the previous ones stay. Lowering limits drops no accepted work.
/// </summary>
public sealed class LoadLimitsReloader(IConfiguration configuration, LoadLimitsProvider limits, ModelRegistry models, EngineRegistry engines, ILogger<LoadLimitsReloader> logger) : IHostedService, IDisposable
{
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = ChangeToken.OnChange(configuration.GetReloadToken, Apply);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Reads every gate's limits from the configuration now and applies those that changed.</summary>
    public void Apply()
    {
        foreach (var entry in models.All())
        {
            if (entry.Gate is { } gate)
            {
                var configured = limits.ForModel(entry.Name, out var problem);
                Apply(gate, configured, problem, "model", entry.Name, entry.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        foreach (var entry in engines.All())
        {
            if (entry is { Gate: { } gate, Engine: { } engine })
            {
                var config = engine.Manifest.Config;
                var configured = limits.ForEngine(entry.Service, config.OptimalConcurrency, config.MaxConcurrency, out var problem);
                Apply(gate, configured, problem, "engine", entry.Service, entry.Version.ToString());
            }
        }
    }

    public void Dispose() => subscription?.Dispose();

    private void Apply(AdmissionGate gate, LoadLimits configured, string? problem, string kind, string name, string version)
    {
        if (problem is not null)
        {
            AdmissionLog.LimitsRefused(logger, kind, name, version, problem);
            return;
        }

        if (gate.Limits != configured)
        {
            gate.SetLimits(configured);
            AdmissionLog.LimitsChanged(logger, kind, name, version, configured.Optimal, configured.Max, configured.TimeoutMicroseconds);
        }
    }
}
