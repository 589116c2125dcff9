namespace Inference.Host.Scheduling;

/// <summary>A model's scheduling settings: its instances and its batching.</summary>
public sealed record ModelSchedulingOptions(InstanceOptions Instances, BatchingOptions Batching)
{
    public static readonly ModelSchedulingOptions Default = new(InstanceOptions.Default, BatchingOptions.Off);
}
