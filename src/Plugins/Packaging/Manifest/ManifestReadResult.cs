namespace Inference.Packaging.Manifest;

/// <summary>The manifest when it is valid, and every problem found (all of them, not just the first).</summary>
public sealed record ManifestReadResult(PluginManifest? Manifest, IReadOnlyList<ManifestProblem> Problems)
{
    public bool IsValid => Manifest is not null && Problems.Count == 0;
}
