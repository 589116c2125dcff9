namespace Inference.Plugins.Sdk;

/// <summary>
/// A streaming session: the host writes chunks as they come and reads results as the plugin yields
/// them; the session is over after a result with status End.
/// </summary>
public interface IPluginSession : IAsyncDisposable
{
    /// <summary>
    /// Takes the next chunk. Its bytes are the host's and valid until the returned task completes (the
    /// host reuses its receive buffers, as the native ABI's lists are valid only during the call): copy
    /// what you keep. The host waits for each write before the next and holds writes back while its
    /// reader is behind, so results are best yielded as soon as they are known.
    /// </summary>
    ValueTask WriteAsync(PluginData chunk, CancellationToken cancellationToken);

    IAsyncEnumerable<PluginData> ReadAllAsync(CancellationToken cancellationToken);
}
