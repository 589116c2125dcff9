namespace Inference.Plugins.Sdk;

/// <summary>
/// What a managed decoder plugin implements: the ASE loader's life cycle (init, shutdown), one-shot
/// execution, streaming sessions, personalization resources and the text of its error codes. The host
/// creates one instance per package version in its own collectible load context, calls
/// <see cref="InitAsync"/> once, and may call the rest concurrently. With
/// <c>Engines:{service}:Instances:Count</c> above 1 it creates that many objects of the type (in the
/// same load context, so statics are shared), each initialised on its own, and each then takes one
/// call at a time. Implement <see cref="IBatchingPlugin"/> as well to have requests batched.
/// </summary>
public interface IEnginePlugin
{
    ValueTask InitAsync(PluginContext context, CancellationToken cancellationToken);

    ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken);

    /// <summary>Opens a streaming session; plugins that only do one-shot calls throw NotSupportedException.</summary>
    IPluginSession CreateSession(IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<uint> resourceIds);

    ValueTask LoadResourceAsync(uint resourceId, PluginData data, CancellationToken cancellationToken);

    ValueTask UnloadResourceAsync(uint resourceId, CancellationToken cancellationToken);

    /// <summary>The plugin's own text for one of its error codes (the manifest's description is shown beside it).</summary>
    string ErrorText(int code);

    ValueTask ShutdownAsync(CancellationToken cancellationToken);
}
