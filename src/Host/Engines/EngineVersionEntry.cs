using Inference.Host.Registry;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>One installed version of a plugin: its state, why it is not ready, and the engine when it is.</summary>
public sealed record EngineVersionEntry(string Service, SemanticVersion Version, ModelState State, string? Reason, IEngine? Engine, string Package);
