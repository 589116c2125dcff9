namespace Inference.LoadGenerator.Running;

/// <summary>The phase every client of one level reads after each answer; written by the level's coordinator.</summary>
internal sealed class RunClock
{
    private volatile RunPhase phase = RunPhase.WarmUp;

    public RunPhase Phase
    {
        get => phase;
        set => phase = value;
    }

    public bool Measuring => phase == RunPhase.Measure;

    public bool Stopping => phase == RunPhase.Stop;
}
