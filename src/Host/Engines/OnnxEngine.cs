using Inference.Host.Buffers;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Protocol.Engine;
using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;
using Inference.Packaging.Manifest;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Engines;

/// <summary>
/// The ONNX-only plugin kind: the package's model run by the host, mapped by the manifest's bindings.
/// Its sessions are scheduled as a plain model's are (the same instance pool, factory and dynamic
/// batcher), from <c>Engines:{service}:Instances</c> and <c>Batching</c>.
/// </summary>
public sealed class OnnxEngine : IEngine
{
    private readonly ModelScheduler scheduler;

    private OnnxEngine(PluginManifest manifest, ModelScheduler scheduler, ModelSchedulingOptions scheduling)
    {
        Manifest = manifest;
        Scheduling = scheduling;
        this.scheduler = scheduler;
    }

    public PluginManifest Manifest { get; }

    public ModelSchedulingOptions Scheduling { get; }

    public int InstanceCount => scheduler.Instances.Count;

    /// <summary>The first session: metadata and name lookups (every instance has the same).</summary>
    private InferenceSession Session => scheduler.Instances.Primary.Session;

    /// <summary>Opens the model's instances; a setting that cannot be honoured is a <see cref="SchedulingConfigurationException"/> naming its key.</summary>
    internal static OnnxEngine Create(
        PluginManifest manifest,
        string directory,
        ModelSchedulingOptions scheduling,
        OrtEnvironment environment,
        OnnxSessionOptions sessionOptions,
        TimeProvider time,
        PinnedBufferPool buffers,
        ILogger logger)
    {
        var path = EngineFactory.ConfigurationPath(manifest);
        var (service, version) = (manifest.Service.Id, manifest.Service.Version.ToString());
        var modelPath = Path.Combine(directory, manifest.Engine.Model!);
        var factory = new InstanceFactory(o => InferenceSession.Create(environment, modelPath, o), sessionOptions, scheduling.Instances);
        var instances = new List<ModelInstance>();
        try
        {
            instances.Add(factory.CreateNext(instances));
            var session = instances[0].Session;
            if (scheduling.Batching.Enabled && BatchingSupport.InputProblem(session.Inputs) is { } problem)
            {
                throw new SchedulingConfigurationException($"{path}:Batching:MaxBatchSize is {scheduling.Batching.MaxBatchSize} but the model cannot be batched: {problem}");
            }

            while (instances.Count < scheduling.Instances.EffectiveCount)
            {
                instances.Add(factory.CreateNext(instances));
            }
        }
        catch (ExecutionProviderUnavailableException e) when (scheduling.Instances.Devices.Count > 0)
        {
            // The engine's own devices: this engine cannot load, the host and the others can.
            DisposeAll(instances);
            throw new SchedulingConfigurationException($"{path}:Instances:Devices: {e.Message}");
        }
        catch
        {
            DisposeAll(instances);
            throw;
        }

        foreach (var instance in instances)
        {
            if (instance.Provider.Warning is { } warning)
            {
                EngineInstancesLog.ProviderFallback(logger, service, version, instances.IndexOf(instance), instance.Device.ToString(), warning);
            }
        }

        var splittable = BatchingSupport.SplittableOutputs(instances[0].Session.Outputs);
        var unbatchable = instances[0].Session.Outputs.Where((_, i) => !splittable[i]).Select(o => o.Name).ToArray();
        if (scheduling.Batching.Enabled && unbatchable.Length > 0)
        {
            EngineInstancesLog.UnbatchableOutputs(logger, service, version, string.Join(", ", unbatchable));
        }

        var pool = new InstancePool(instances, scheduling.Instances.Exclusive ? 1 : ModelInstance.Unlimited, factory);
        // The scheduler names what it logs as a model and version: the engine's service and major version stand in.
        var scheduler = new ModelScheduler(pool, new ModelStatistics(time), scheduling.Batching, buffers, time, logger, $"{service}@{version}", manifest.Service.Version.Major);
        return new OnnxEngine(manifest, scheduler, scheduling);
    }

    public async ValueTask<IReadOnlyList<EngineDataSegment>> ExecuteAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        var engine = Manifest.Engine;
        var session = Session;
        var bindings = request.Expect.Count == 0 ? engine.Outputs : engine.Outputs.Where(o => request.Expect.ContainsKey(o.Source)).ToList();
        var outputIndices = bindings.Select(b => session.GetOutputIndex(b.Tensor) is >= 0 and var i
            ? i
            : throw new InvalidOperationException($"the model has no output '{b.Tensor}'; its outputs: {string.Join(", ", session.Outputs.Select(o => o.Name))}")).ToArray();
        var (inputIndices, values) = OnnxTensorMapping.BuildInputs(session, engine, request);
        // Owns the values from here; alive until the run (or the batch it joined) is over.
        using var bound = new BoundInputs(inputIndices, values, outputIndices, new bool[outputIndices.Length]);
        var outputs = await scheduler.RunAsync(bound, cancellationToken).ConfigureAwait(false);
        try
        {
            var segments = new EngineDataSegment[bindings.Count];
            for (var i = 0; i < bindings.Count; i++)
            {
                var segment = Manifest.Response.First(r => r.Name == bindings[i].Source);
                segments[i] = OnnxTensorMapping.Encode(bindings[i], outputs[i]!, segment, request.Expect.GetValueOrDefault(bindings[i].Source));
            }

            return segments;
        }
        finally
        {
            foreach (var output in outputs)
            {
                output?.Dispose();
            }
        }
    }

    public Task SetInstanceCountAsync(int count, CancellationToken cancellationToken) => scheduler.Instances.SetCountAsync(count, cancellationToken);

    public EngineSchedulingSnapshot Snapshot()
    {
        var pool = scheduler.Instances;
        var batching = scheduler.Batching;
        return new EngineSchedulingSnapshot(
            pool.Instances.Select(i => new EngineInstanceSnapshot(
                i.Id,
                i.Provider.Effective == i.Device.Kind ? i.Device.ToString() : $"{i.Device} on {i.Provider.Effective}",
                i.Running,
                i.Runs)).ToArray(),
            pool.RunsPerInstance == ModelInstance.Unlimited ? null : pool.RunsPerInstance,
            pool.Waiting,
            batching.Enabled ? new EngineBatchingSnapshot(batching, scheduler.Queued, scheduler.Statistics.Batches.Select(b => new EngineBatchSize(b.Key, b.Value.Count)).ToArray()) : null);
    }

    public ValueTask DisposeAsync()
    {
        scheduler.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void DisposeAll(List<ModelInstance> instances)
    {
        foreach (var instance in instances)
        {
            instance.Dispose();
        }
    }
}
