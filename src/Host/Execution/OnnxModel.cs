using Inference.Host.Observability;
using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;

namespace Inference.Host.Execution;

/// <summary>A model version loaded into one or more ORT sessions (its instances), with its scheduler and statistics.</summary>
public sealed class OnnxModel : IDisposable
{
    public const string Platform = "onnxruntime_onnx";

    private IDisposable? configurationWatch;

    /// <summary>A model of one shared instance over <paramref name="session"/>, without batching.</summary>
    public OnnxModel(string name, long version, InferenceSession session, ModelStatistics statistics)
        : this(name, version, new ModelScheduler(InstancePool.Shared(session), statistics))
    {
    }

    public OnnxModel(string name, long version, ModelScheduler scheduler)
    {
        Name = name;
        Version = version;
        VersionText = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Scheduler = scheduler;
    }

    public string Name { get; }

    public long Version { get; }

    public string VersionText { get; }

    /// <summary>The first instance's session: the model's metadata and name lookups (every instance has the same).</summary>
    public InferenceSession Session => Instances.Primary.Session;

    public ModelScheduler Scheduler { get; }

    public InstancePool Instances => Scheduler.Instances;

    public ModelStatistics Statistics => Scheduler.Statistics;

    public IReadOnlyList<TensorMetadata> Inputs => Session.Inputs;

    public IReadOnlyList<TensorMetadata> Outputs => Session.Outputs;

    /// <summary>Something that follows the configuration for this model (the live instance count), stopped on dispose.</summary>
    internal void Watch(IDisposable watch) => configurationWatch = watch;

    public void Dispose()
    {
        Interlocked.Exchange(ref configurationWatch, null)?.Dispose();
        Scheduler.Dispose();
    }
}
