namespace Inference.Packaging.Manifest;

/// <summary>
/// Deployment configuration: environment variables, settings handed to the plugin at init, and the two
/// concurrency numbers (at or below optimal the engine performs best; above max requests must fail).
/// </summary>
public sealed record EngineConfig(
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, string> Settings,
    int MaxConcurrency,
    int OptimalConcurrency);
