namespace Inference.Packaging.Manifest;

/// <summary>One thing wrong in a manifest: where (a path like <c>parameters[1].range.min</c>, and the line) and what.</summary>
public sealed record ManifestProblem(string Path, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{Path} (line {Line}): {Message}" : $"{Path}: {Message}";
}
