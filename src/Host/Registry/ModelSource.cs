namespace Inference.Host.Registry;

/// <summary>A model version found in the repository: where its file is, or why it cannot be used.</summary>
public sealed record ModelSource(string Name, long Version, string Path, string? Problem = null);
