namespace Inference.Plugins.Sdk;

/// <summary>
/// What a managed plugin implements, beside <see cref="IEnginePlugin"/>, to say it can run several
/// one-shot requests in one call (one model run over stacked inputs, say). Only with
/// <c>Engines:{service}:Batching:MaxBatchSize</c> set does the host use it: it collects concurrent
/// requests up to that many (or until the oldest has waited <c>MaxQueueDelayMicroseconds</c>, or a
/// preferred size is reached), calls this once with them in arrival order, and gives each caller the
/// result at its index. A batch of one runs through <see cref="IEnginePlugin.ExecuteAsync"/>.
/// </summary>
/// <remarks>
/// Each result must be what <see cref="IEnginePlugin.ExecuteAsync"/> returns for that request alone,
/// and there must be exactly one per request. A <see cref="PluginException"/> fails every request of
/// the batch with its code. A caller that goes away leaves the batch (its result is dropped); the
/// token is cancelled only when every caller of the batch has gone.
/// </remarks>
public interface IBatchingPlugin : IEnginePlugin
{
    ValueTask<IReadOnlyList<PluginResult>> ExecuteBatchAsync(IReadOnlyList<PluginRequest> requests, CancellationToken cancellationToken);
}
