using System.Globalization;
using Inference.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Inference.Host.Admission;

/// <summary>
/// The load limits of each model and engine, from configuration, read afresh on every call so that a
/// configuration reload changes them: <c>Models:{name}:OptimalConcurrency</c> / <c>MaxConcurrency</c> /
/// <c>TimeoutMicroseconds</c> for plain models (else the <c>Host:Default*</c> settings), and the same keys
/// under <c>Engines:{service}</c> for plugin packages (else the manifest's concurrency and the host's
/// default timeout).
/// </summary>
public sealed class LoadLimitsProvider(IConfiguration configuration, IOptionsMonitor<ServerOptions> options)
{
    public const string ModelsSection = "Models";
    public const string EnginesSection = "Engines";

    public LoadLimits ForModel(string name, out string? problem)
    {
        var host = options.CurrentValue;
        return Resolve($"{ModelsSection}:{name}", new LoadLimits(host.DefaultOptimalConcurrency, host.DefaultMaxConcurrency, host.DefaultTimeoutMicroseconds), out problem);
    }

    public LoadLimits ForEngine(string service, int manifestOptimal, int manifestMax, out string? problem) =>
        Resolve($"{EnginesSection}:{service}", new LoadLimits(manifestOptimal, manifestMax, options.CurrentValue.DefaultTimeoutMicroseconds), out problem);

    private LoadLimits Resolve(string path, LoadLimits defaults, out string? problem)
    {
        problem = null;
        var section = configuration.GetSection(path);
        var limits = new LoadLimits(
            (int)Read(section, nameof(LoadLimits.Optimal) + "Concurrency", defaults.Optimal, int.MaxValue, ref problem),
            (int)Read(section, nameof(LoadLimits.Max) + "Concurrency", defaults.Max, int.MaxValue, ref problem),
            Read(section, nameof(LoadLimits.TimeoutMicroseconds), defaults.TimeoutMicroseconds, long.MaxValue, ref problem));
        if (problem is null && limits.Problem() is { } invalid)
        {
            problem = $"{path}: {invalid}";
        }

        return limits;
    }

    private static long Read(IConfigurationSection section, string key, long fallback, long maxValue, ref string? problem)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value <= maxValue)
        {
            return value;
        }

        problem ??= $"{section.Path}:{key} must be an integer, got '{text}'";
        return fallback;
    }
}
