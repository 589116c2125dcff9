using System.Threading.Channels;
using Inference.Host.Engines;
using Inference.Host.Protocol.Engine;
using Inference.Plugins.Sdk;

namespace Inference.Host.Streaming;

/// <summary>
/// A managed plugin's session (the SDK's <see cref="IPluginSession"/>) behind <see cref="IEngineStream"/>.
/// A pump pulls the plugin's results into a bounded channel only while it has room, so a slow reader
/// stops the pulls; the transport's wait for room then stops the writes, and the plugin's own buffer
/// holds at most what one write yields.
/// </summary>
internal sealed class ManagedEngineStream : IEngineStream
{
    private readonly IEnginePlugin plugin;
    private readonly IPluginSession session;
    private readonly Channel<EngineDataSegment> results;
    private readonly CancellationTokenSource stop = new();
    private readonly Task pump;

    private ManagedEngineStream(IEnginePlugin plugin, IPluginSession session, int capacity)
    {
        this.plugin = plugin;
        this.session = session;
        results = Channel.CreateBounded<EngineDataSegment>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        pump = PumpAsync();
    }

    public ChannelReader<EngineDataSegment> Results => results.Reader;

    /// <summary>Opens the plugin's session; a plugin that has none (NotSupportedException) is <see cref="StreamErrorCodes.NotStreamable"/>.</summary>
    public static ManagedEngineStream Open(ManagedEngine engine, IReadOnlyDictionary<string, object?> parameters, int capacity)
    {
        var plugin = engine.Plugin;
        IPluginSession session;
        try
        {
            session = plugin.CreateSession(parameters, []);
        }
        catch (PluginException e)
        {
            throw Failed(plugin, e);
        }
        catch (NotSupportedException e)
        {
            throw new StreamFailureException(StreamFailure.Protocol(StreamErrorCodes.NotStreamable, $"engine '{engine.Manifest.Service.Id}' has no streaming sessions: {e.Message}"), e);
        }

        return new ManagedEngineStream(plugin, session, capacity);
    }

    public async ValueTask WriteAsync(IReadOnlyList<EngineDataSegment> chunks, CancellationToken cancellationToken)
    {
        foreach (var chunk in chunks)
        {
            try
            {
                await session.WriteAsync(new PluginData(chunk.Name, chunk.Encoding, (DataStatus)chunk.Status, chunk.Data), cancellationToken).ConfigureAwait(false);
            }
            catch (PluginException e)
            {
                throw Failed(plugin, e);
            }
        }
    }

    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        try
        {
            await results.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The results ended with a failure: the reader reports it; nothing to wait for.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await pump.ConfigureAwait(false);
        }
        finally
        {
            stop.Dispose();
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static EnginePluginException Failed(IEnginePlugin plugin, PluginException e) =>
        new(e.Code, $"{plugin.ErrorText(e.Code)}: {e.Message}", e);

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var result in session.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await results.Writer.WriteAsync(new EngineDataSegment(result.Name, result.Encoding, (int)result.Status, result.Data), stop.Token).ConfigureAwait(false);
            }

            results.Writer.TryComplete();
        }
        catch (PluginException e)
        {
            results.Writer.TryComplete(Failed(plugin, e));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            results.Writer.TryComplete();
        }
        catch (Exception e)
        {
            results.Writer.TryComplete(e);
        }
    }
}
