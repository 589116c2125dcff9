using System.Collections.Concurrent;
using System.Globalization;
using Inference.Host.Errors;
using Inference.Host.Execution;

namespace Inference.Host.Registry;

/// <summary>
/// The models the host knows, by name and version. The default version of a model is its newest
/// version that is ready. Lookups are lock-free reads of immutable per-model snapshots.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ModelVersionEntry[]> models = new(StringComparer.Ordinal);
    private volatile bool repositoryLoaded;

    /// <summary>True once the repository has been scanned and every model in it tried.</summary>
    public bool IsRepositoryLoaded => repositoryLoaded;

    public void MarkRepositoryLoaded() => repositoryLoaded = true;

    /// <summary>Adds or replaces one version's entry.</summary>
    public void Set(ModelVersionEntry entry)
    {
        models.AddOrUpdate(
            entry.Name,
            _ => [entry],
            (_, existing) => existing.Where(e => e.Version != entry.Version).Append(entry).OrderBy(e => e.Version).ToArray());
    }

    public IReadOnlyList<ModelVersionEntry> Versions(string name) =>
        models.TryGetValue(name, out var versions) ? versions : [];

    /// <summary>Every entry, by name then version (for the repository index).</summary>
    public IReadOnlyList<ModelVersionEntry> All() =>
        models.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value).ToArray();

    /// <summary>Finds the version to serve, or says why there is none (404 unknown, 503 not ready).</summary>
    public ModelVersionEntry? Resolve(string name, string? version, out InferenceError? error)
    {
        error = null;
        if (!models.TryGetValue(name, out var versions))
        {
            error = InferenceError.NotFound($"unknown model '{name}'");
            return null;
        }

        if (string.IsNullOrEmpty(version))
        {
            for (var i = versions.Length - 1; i >= 0; i--)
            {
                if (versions[i].State == ModelState.Ready)
                {
                    return versions[i];
                }
            }

            var newest = versions[^1];
            error = InferenceError.Unavailable($"model '{name}' has no ready version (version {newest.Version} is {ModelStateNames.Of(newest.State)}{(newest.Reason is null ? "" : ": " + newest.Reason)})");
            return newest;
        }

        if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            error = InferenceError.NotFound($"model '{name}' has no version '{version}' (versions are positive integers)");
            return null;
        }

        foreach (var entry in versions)
        {
            if (entry.Version == number)
            {
                if (entry.State != ModelState.Ready)
                {
                    error = InferenceError.Unavailable($"model '{name}' version {number} is {ModelStateNames.Of(entry.State)}{(entry.Reason is null ? "" : ": " + entry.Reason)}");
                }

                return entry;
            }
        }

        error = InferenceError.NotFound($"model '{name}' has no version {number} (it has {string.Join(", ", versions.Select(v => v.Version))})");
        return null;
    }

    public void Dispose()
    {
        foreach (var entry in models.Values.SelectMany(v => v))
        {
            entry.Model?.Dispose();
        }

        models.Clear();
    }
}
