namespace Inference.Packaging;

/// <summary>What one package may hold; anything beyond is refused as a possible archive bomb.</summary>
public sealed record PackageLimits
{
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Total bytes of all files once extracted.</summary>
    public long MaxTotalBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    public long MaxFileBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    public int MaxPathLength { get; init; } = 1024;
}
