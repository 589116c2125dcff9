namespace Inference.Packaging.Manifest;

/// <summary>Request data of a test: a file relative to the package root, or inline text.</summary>
public sealed record TestData(string? File, string? Text);
