namespace Inference.Packaging.Manifest;

/// <summary>An engine error code: its name (e.g. AIGES_ERROR_INVALID_PARA), what it means and how to handle it.</summary>
public sealed record ErrorCodeDefinition(int Code, string Name, string? Description, string? Strategy);
