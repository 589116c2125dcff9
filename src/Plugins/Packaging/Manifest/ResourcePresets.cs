namespace Inference.Packaging.Manifest;

/// <summary>The ASE deployment specifications: four CPU classes and four GPU classes.</summary>
public static class ResourcePresets
{
    public static readonly IReadOnlyDictionary<string, ResourceSpec> All = new Dictionary<string, ResourceSpec>(StringComparer.Ordinal)
    {
        ["C1"] = new("C1", 4, 16 * 1024, 0),
        ["C2"] = new("C2", 8, 32 * 1024, 0),
        ["C3"] = new("C3", 16, 64 * 1024, 0),
        ["C4"] = new("C4", 32, 128 * 1024, 0),
        ["G1"] = new("G1", 4, 16 * 1024, 2 * 1024),
        ["G2"] = new("G2", 8, 32 * 1024, 4 * 1024),
        ["G3"] = new("G3", 16, 64 * 1024, 8 * 1024),
        ["G4"] = new("G4", 32, 128 * 1024, 12 * 1024),
    };
}
