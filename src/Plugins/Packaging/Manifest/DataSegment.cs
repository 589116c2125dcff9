namespace Inference.Packaging.Manifest;

/// <summary>A named request or response data segment, its kind and the encodings it accepts or produces.</summary>
public sealed record DataSegment(string Name, SegmentType Type, IReadOnlyList<string> Encodings, string? Description);
