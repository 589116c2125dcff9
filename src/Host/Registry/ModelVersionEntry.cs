using Inference.Host.Admission;
using Inference.Host.Execution;

namespace Inference.Host.Registry;

/// <summary>
/// One version of a model in the registry: its state, why it is not ready, and when it is, the loaded
/// model and the admission gate that holds it to its configured concurrency.
/// </summary>
public sealed record ModelVersionEntry(string Name, long Version, ModelState State, string? Reason, OnnxModel? Model, AdmissionGate? Gate = null);
