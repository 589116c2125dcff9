using System.Diagnostics;
using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Observability;
using Inference.Host.Registry;
using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Execution;

/// <summary>
/// Loads model versions into ORT sessions, as many instances as <c>Models:{name}:Instances</c> asks,
/// with the scheduler <c>Models:{name}:Batching</c> asks for; a failure becomes an UNAVAILABLE entry
/// with the reason (a bad setting names its key).
/// </summary>
public sealed class OnnxModelLoader(
    OrtEnvironment environment,
    IOptions<OnnxRuntimeOptions> options,
    TimeProvider time,
    ILogger<OnnxModelLoader> logger,
    IConfiguration? configuration = null,
    PinnedBufferPool? buffers = null)
{
    public ModelVersionEntry Load(ModelSource source)
    {
        if (source.Problem is { } problem)
        {
            HostLog.ModelUnavailable(logger, source.Name, source.Version, problem);
            return new ModelVersionEntry(source.Name, source.Version, ModelState.Unavailable, problem, null);
        }

        ModelSchedulingOptions scheduling;
        try
        {
            scheduling = configuration is null ? ModelSchedulingOptions.Default : ModelSchedulingConfiguration.Read(configuration, source.Name);
        }
        catch (SchedulingConfigurationException e)
        {
            return Unavailable(source, e.Message);
        }

        var started = Stopwatch.GetTimestamp();
        var instances = new List<ModelInstance>();
        try
        {
            var factory = new InstanceFactory(o => InferenceSession.Create(environment, source.Path, o), options.Value.ToSessionOptions($"{source.Name}:{source.Version}"), scheduling.Instances);
            instances.Add(factory.CreateNext(instances));
            var session = instances[0].Session;
            var unsupported = session.Inputs.Concat(session.Outputs).FirstOrDefault(t => t.ValueType != Onnx.Binding.OnnxValueType.Tensor);
            if (unsupported is not null)
            {
                return Unavailable(source, $"'{unsupported.Name}' is a {unsupported.ValueType}, not a tensor; only tensor inputs and outputs can be served", instances);
            }

            if (scheduling.Batching.Enabled && BatchingSupport.InputProblem(session.Inputs) is { } batchingProblem)
            {
                return Unavailable(source, $"Models:{source.Name}:Batching:MaxBatchSize is {scheduling.Batching.MaxBatchSize} but the model cannot be batched: {batchingProblem}", instances);
            }

            while (instances.Count < scheduling.Instances.EffectiveCount)
            {
                instances.Add(factory.CreateNext(instances));
            }

            foreach (var instance in instances)
            {
                if (instance.Provider.Warning is { } warning)
                {
                    HostLog.ProviderFallback(logger, source.Name, source.Version, $"instance {instances.IndexOf(instance)} on {instance.Device}: {warning}");
                }
            }

            var model = CreateModel(source, scheduling, factory, instances);
            HostLog.ModelReady(logger, source.Name, source.Version, session.Provider.Effective.ToString(), session.Inputs.Count, session.Outputs.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new ModelVersionEntry(source.Name, source.Version, ModelState.Ready, null, model);
        }
        catch (ExecutionProviderUnavailableException e) when (scheduling.Instances.Devices.Count > 0)
        {
            // The model's own devices: this model cannot load, the host and the other models can.
            return Unavailable(source, $"Models:{source.Name}:Instances:Devices: {e.Message}", instances);
        }
        catch (ExecutionProviderUnavailableException)
        {
            DisposeAll(instances);
            throw;
        }
        catch (Exception e) when (e is Onnx.Binding.OrtException or IOException or UnauthorizedAccessException)
        {
            return Unavailable(source, $"failed to load {source.Path}: {e.Message}", instances);
        }
    }

    private OnnxModel CreateModel(ModelSource source, ModelSchedulingOptions scheduling, InstanceFactory factory, List<ModelInstance> instances)
    {
        var runsPerInstance = scheduling.Instances.Exclusive ? 1 : ModelInstance.Unlimited;
        var pool = new InstancePool(instances, runsPerInstance, factory);
        var statistics = new ModelStatistics(time);
        var scheduler = new ModelScheduler(pool, statistics, scheduling.Batching, buffers ?? PinnedBufferPool.Shared, time, logger, source.Name, source.Version);
        var model = new OnnxModel(source.Name, source.Version, scheduler);
        if (configuration is not null)
        {
            model.Watch(new InstanceCountWatcher(configuration, model, scheduling.Instances.EffectiveCount, logger));
        }

        var batching = scheduling.Batching;
        if (scheduling.Instances.Exclusive || scheduling.Instances.Count > 1 || batching.Enabled || instances.Any(i => i.UsesIoBinding))
        {
            SchedulingLog.InstancesReady(
                logger,
                source.Name,
                source.Version,
                pool.Count,
                string.Join(", ", instances.Select(Describe)),
                runsPerInstance == 1 ? "1" : "any",
                batching.Enabled ? $"max {batching.MaxBatchSize}, delay {batching.MaxQueueDelayMicroseconds} us, preferred [{string.Join(", ", batching.PreferredBatchSizes)}]" : "off");
        }

        var splittable = BatchingSupport.SplittableOutputs(model.Outputs);
        var unbatchable = model.Outputs.Where((_, i) => !splittable[i]).Select(o => o.Name).ToArray();
        if (batching.Enabled && unbatchable.Length > 0)
        {
            SchedulingLog.UnbatchableOutputs(logger, source.Name, source.Version, string.Join(", ", unbatchable));
        }

        return model;
    }

    /// <summary>"cuda:0", "cuda:1 on Cpu" (fell back), "cuda:0 io binding to CudaPinned".</summary>
    private static string Describe(ModelInstance instance)
    {
        var where = instance.Provider.Effective == instance.Device.Kind ? instance.Device.ToString() : $"{instance.Device} on {instance.Provider.Effective}";
        return instance.UsesIoBinding ? $"{where} io binding to {instance.OutputMemory}" : where;
    }

    private ModelVersionEntry Unavailable(ModelSource source, string reason, List<ModelInstance>? instances = null)
    {
        DisposeAll(instances);
        HostLog.ModelUnavailable(logger, source.Name, source.Version, reason);
        return new ModelVersionEntry(source.Name, source.Version, ModelState.Unavailable, reason, null);
    }

    private static void DisposeAll(List<ModelInstance>? instances)
    {
        foreach (var instance in instances ?? [])
        {
            instance.Dispose();
        }

        instances?.Clear();
    }
}
