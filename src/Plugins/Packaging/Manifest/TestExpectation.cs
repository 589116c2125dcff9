namespace Inference.Packaging.Manifest;

/// <summary>What a response segment of a test must be: equal to text or a file's content, or contain some text.</summary>
public sealed record TestExpectation(string? EqualsText, string? EqualsFile, string? Contains);
