namespace Inference.LoadGenerator.Running;

/// <summary>Where one level's run is: only answers that complete while measuring are counted.</summary>
internal enum RunPhase
{
    WarmUp,
    Measure,
    Stop,
}
