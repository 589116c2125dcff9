using System.Collections.Concurrent;
using Inference.Host.Errors;
using Inference.Host.Registry;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>The plugins the host serves, by service id and semantic version; the default is the newest ready version.</summary>
public sealed class EngineRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, EngineVersionEntry[]> services = new(StringComparer.Ordinal);
    private volatile bool packagesLoaded;

    /// <summary>True once every package of the repository has been tried.</summary>
    public bool IsLoaded => packagesLoaded;

    public void MarkLoaded() => packagesLoaded = true;

    public void Set(EngineVersionEntry entry) =>
        services.AddOrUpdate(
            entry.Service,
            _ => [entry],
            (_, existing) => existing.Where(e => e.Version != entry.Version).Append(entry).OrderBy(e => e.Version).ToArray());

    public IReadOnlyList<EngineVersionEntry> All() =>
        services.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value).ToArray();

    public EngineVersionEntry? Resolve(string service, string? version, out InferenceError? error)
    {
        error = null;
        if (!services.TryGetValue(service, out var versions))
        {
            error = InferenceError.NotFound($"unknown engine '{service}'");
            return null;
        }

        if (string.IsNullOrEmpty(version))
        {
            var ready = versions.LastOrDefault(v => v.State == ModelState.Ready);
            if (ready is null)
            {
                var newest = versions[^1];
                error = InferenceError.Unavailable($"engine '{service}' has no ready version (version {newest.Version} is {ModelStateNames.Of(newest.State)}: {newest.Reason})");
            }

            return ready;
        }

        if (!SemanticVersion.TryParse(version, out var wanted))
        {
            error = InferenceError.NotFound($"engine '{service}' has no version '{version}' (versions are MAJOR.MINOR.PATCH)");
            return null;
        }

        var entry = versions.FirstOrDefault(v => v.Version == wanted);
        if (entry is null)
        {
            error = InferenceError.NotFound($"engine '{service}' has no version {wanted} (it has {string.Join(", ", versions.Select(v => v.Version))})");
        }
        else if (entry.State != ModelState.Ready)
        {
            error = InferenceError.Unavailable($"engine '{service}' version {wanted} is {ModelStateNames.Of(entry.State)}: {entry.Reason}");
        }

        return entry;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in services.Values.SelectMany(v => v))
        {
            if (entry.Engine is { } engine)
            {
                await engine.DisposeAsync();
            }
        }

        services.Clear();
    }
}
