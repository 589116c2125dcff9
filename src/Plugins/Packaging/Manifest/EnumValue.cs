namespace Inference.Packaging.Manifest;

/// <summary>One allowed value of an enum parameter and what it means (the ASE form asks for both).</summary>
public sealed record EnumValue(string Value, string Meaning);
