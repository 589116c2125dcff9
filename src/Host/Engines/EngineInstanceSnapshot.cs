namespace Inference.Host.Engines;

/// <summary>One instance of an engine version as it is now: its number, device (and where it really runs, if not there), calls in progress and started.</summary>
public sealed record EngineInstanceSnapshot(int Id, string Device, int Running, long Runs);
