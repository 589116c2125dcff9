namespace Inference.Cli.Building;

/// <summary>How building a plugin's sources went: what ran, and its output for the author when it failed.</summary>
public sealed record BuildResult(bool Succeeded, string Description, string Output);
