using Inference.Host.Execution;

namespace Inference.Host.Registry;

/// <summary>One version of a model in the registry: its state, why it is not ready, and the loaded model when it is.</summary>
public sealed record ModelVersionEntry(string Name, long Version, ModelState State, string? Reason, OnnxModel? Model);
