namespace Inference.Packaging.Manifest;

/// <summary>Inclusive bounds of an integer, float or time parameter; either may be open.</summary>
public sealed record ValueRange(object? Min, object? Max);
