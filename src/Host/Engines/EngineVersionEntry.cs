using Inference.Host.Registry;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>
/// One installed version of a plugin: its state, why it is not ready, and when it is, the engine and
/// the admission gate that holds it to the manifest's optimal and max concurrency.
/// </summary>
public sealed record EngineVersionEntry(string Service, SemanticVersion Version, ModelState State, string? Reason, IEngine? Engine, string Package, Admission.AdmissionGate? Gate = null);
