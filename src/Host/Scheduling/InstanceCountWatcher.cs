using Inference.Host.Execution;
using Inference.Host.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Inference.Host.Scheduling;

/// <summary>
/// Follows <c>Models:{name}:Instances:Count</c> across configuration reloads and adds or removes
/// instances live. The other instance and batching settings take effect at the next load.
/// </summary>
internal sealed class InstanceCountWatcher : IDisposable
{
    private readonly IConfiguration configuration;
    private readonly OnnxModel model;
    private readonly int defaultCount;
    private readonly ILogger logger;
    private readonly SemaphoreSlim applying = new(1, 1);
    private readonly IDisposable registration;
    private int desired;

    /// <param name="defaultCount">The count when the key is absent (what the model was loaded with then).</param>
    public InstanceCountWatcher(IConfiguration configuration, OnnxModel model, int defaultCount, ILogger logger)
    {
        this.configuration = configuration;
        this.model = model;
        this.defaultCount = defaultCount;
        this.logger = logger;
        desired = model.Instances.Count;
        registration = ChangeToken.OnChange(configuration.GetReloadToken, OnChanged);
    }

    public void Dispose() => registration.Dispose();

    private void OnChanged()
    {
        int count;
        try
        {
            count = ModelSchedulingConfiguration.ReadInstanceCount(configuration, model.Name, defaultCount);
        }
        catch (SchedulingConfigurationException e)
        {
            SchedulingLog.InstanceCountNotChanged(logger, model.Name, model.Version, e.Message);
            return;
        }

        if (Interlocked.Exchange(ref desired, count) != count || model.Instances.Count != count)
        {
            // Opening sessions takes a while: not on the thread that reloads the configuration.
            _ = Task.Run(ApplyAsync);
        }
    }

    private async Task ApplyAsync()
    {
        await applying.WaitAsync().ConfigureAwait(false);
        try
        {
            // The latest wish, whichever reload queued this: rapid changes end at the last one.
            var target = Volatile.Read(ref desired);
            var from = model.Instances.Count;
            if (from != target)
            {
                await model.Instances.SetCountAsync(target).ConfigureAwait(false);
                SchedulingLog.InstanceCountChanged(logger, model.Name, model.Version, from, target);
            }
        }
        catch (Exception e) when (e is Onnx.Binding.OrtException or InvalidOperationException or Onnx.Runtime.ExecutionProviderUnavailableException or IOException)
        {
            SchedulingLog.InstanceCountNotChanged(logger, model.Name, model.Version, e.Message);
        }
        finally
        {
            applying.Release();
        }
    }
}
