namespace Inference.Plugins.Sdk;

/// <summary>
/// A streaming session: the host writes chunks as they come and reads results as the plugin yields
/// them; the session is over after a result with status End.
/// </summary>
public interface IPluginSession : IAsyncDisposable
{
    ValueTask WriteAsync(PluginData chunk, CancellationToken cancellationToken);

    IAsyncEnumerable<PluginData> ReadAllAsync(CancellationToken cancellationToken);
}
