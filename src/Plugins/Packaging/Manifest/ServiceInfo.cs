namespace Inference.Packaging.Manifest;

/// <summary>The interface protocol's basic information: id, alias, semantic version, interface type.</summary>
public sealed record ServiceInfo(string Id, string Alias, SemanticVersion Version, InterfaceType Interface, string? Description);
