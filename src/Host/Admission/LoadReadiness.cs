using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Registry;
using Microsoft.Extensions.Options;

namespace Inference.Host.Admission;

/// <summary>
/// Readiness by load: with <c>Host:ReadinessLoadThreshold</c> set, the host (and a model) is not ready
/// while a gate holds more than that share of its max concurrency, so a load balancer sends new work
/// elsewhere before requests start being refused. Unset, load never affects readiness.
/// </summary>
public sealed class LoadReadiness(ModelRegistry models, EngineRegistry engines, IOptionsMonitor<ServerOptions> options)
{
    /// <summary>True when any gate is above the threshold.</summary>
    public bool AnyOverloaded()
    {
        if (options.CurrentValue.ReadinessLoadThreshold is not { } threshold)
        {
            return false;
        }

        foreach (var entry in models.All())
        {
            if (entry.Gate is { } gate && gate.Snapshot().Load > threshold)
            {
                return true;
            }
        }

        foreach (var entry in engines.All())
        {
            if (entry.Gate is { } gate && gate.Snapshot().Load > threshold)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when this one gate is above the threshold.</summary>
    public bool IsOverloaded(AdmissionGate? gate) =>
        gate is not null && options.CurrentValue.ReadinessLoadThreshold is { } threshold && gate.Snapshot().Load > threshold;
}
