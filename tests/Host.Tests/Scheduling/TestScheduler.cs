using Inference.Host.Buffers;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inference.Host.Tests.Scheduling;

/// <summary>
/// A <see cref="ModelScheduler"/> over a model given as bytes, with its pool and statistics, and
/// requests bound the way the binder binds them (held until the test ends, as a request holds its own).
/// </summary>
internal sealed class TestScheduler : IDisposable
{
    private readonly List<BoundInputs> bound = [];

    private TestScheduler(ModelScheduler scheduler, InstanceFactory factory)
    {
        Scheduler = scheduler;
        Factory = factory;
    }

    public ModelScheduler Scheduler { get; }

    public InstanceFactory Factory { get; }

    public InstancePool Instances => Scheduler.Instances;

    public ModelStatistics Statistics => Scheduler.Statistics;

    public InferenceSession Session => Instances.Primary.Session;

    /// <param name="exclusive">Each instance takes one run at a time (declared instances), else any number.</param>
    /// <param name="ioBinding">Whether runs go through IoBindings (<see cref="IoBindingMode.On"/> forces them on the CPU).</param>
    public static TestScheduler Create(byte[] model, BatchingOptions? batching = null, int instances = 1, bool exclusive = false, TimeProvider? time = null, IoBindingMode ioBinding = IoBindingMode.Auto)
    {
        time ??= TimeProvider.System;
        var factory = new InstanceFactory(
            o => InferenceSession.Create(OrtTestEnvironment.Instance, model, o),
            new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 },
            InstanceOptions.Default with { IoBinding = ioBinding });
        var list = new List<ModelInstance>();
        while (list.Count < instances)
        {
            list.Add(factory.CreateNext(list));
        }

        var pool = new InstancePool(list, exclusive ? 1 : ModelInstance.Unlimited, factory);
        var scheduler = new ModelScheduler(pool, new ModelStatistics(time), batching ?? BatchingOptions.Off, new PinnedBufferPool(), time, NullLogger.Instance, "test", 1);
        return new TestScheduler(scheduler, factory);
    }

    /// <summary>Binds the inputs by name (in the order given) and asks for <paramref name="outputs"/> (all when null).</summary>
    public BoundInputs Bind(string[]? outputs, params TensorData[] inputs)
    {
        var session = Session;
        var indices = inputs.Select(i => session.GetInputIndex(i.Name)).ToArray();
        Assert.DoesNotContain(-1, indices);
        var outputIndices = outputs is null ? Enumerable.Range(0, session.Outputs.Count).ToArray() : outputs.Select(session.GetOutputIndex).ToArray();
        var result = new BoundInputs(indices, inputs.Select(i => i.ToValue()).ToArray(), outputIndices, new bool[outputIndices.Length], inputs.Select(i => i.Shape).ToArray());
        bound.Add(result);
        return result;
    }

    public BoundInputs Bind(params TensorData[] inputs) => Bind(null, inputs);

    public Task<OrtValue?[]> RunAsync(BoundInputs request, CancellationToken cancellationToken = default) =>
        Scheduler.RunAsync(request, cancellationToken).AsTask();

    /// <summary>Runs straight on the session, as the host did before it had a scheduler: the reference.</summary>
    public TensorData[] RunDirect(BoundInputs request)
    {
        var results = new OrtValue?[request.OutputIndices.Length];
        Session.Run(request.InputIndices, request.Values, request.OutputIndices, results);
        return TensorData.TakeAll(results);
    }

    /// <summary>Executions by batch size, e.g. {3: 1} for one batch of three rows.</summary>
    public Dictionary<long, long> BatchSizes() => Statistics.Batches.ToDictionary(p => p.Key, p => p.Value.Count);

    public void Dispose()
    {
        Scheduler.Dispose();
        foreach (var b in bound)
        {
            b.Dispose();
        }
    }
}
