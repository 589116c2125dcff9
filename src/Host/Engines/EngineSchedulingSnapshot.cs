namespace Inference.Host.Engines;

/// <summary>
/// How an engine version runs requests now: its instances, how many calls each takes at once, the
/// calls waiting for one, and its batching (null when off).
/// </summary>
public sealed record EngineSchedulingSnapshot(IReadOnlyList<EngineInstanceSnapshot> Instances, int? RunsPerInstance, int Waiting, EngineBatchingSnapshot? Batching);
