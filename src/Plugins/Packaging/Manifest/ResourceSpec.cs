namespace Inference.Packaging.Manifest;

/// <summary>What one node of the engine needs: an ASE preset (C1-C4, G1-G4) or explicit figures.</summary>
public sealed record ResourceSpec(string? Preset, int CpuCores, long MemoryMiB, long GpuMemoryMiB);
