namespace Inference.Onnx.Tests;

/// <summary>
/// Tests that compare wall-clock times run alone, after the parallel ones, so that other tests do not
/// steal the cores they measure on.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
