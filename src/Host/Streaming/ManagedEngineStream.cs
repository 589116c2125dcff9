using System.Threading.Channels;
using Inference.Host.Engines;
using Inference.Host.Protocol.Engine;
using Inference.Plugins.Sdk;

namespace Inference.Host.Streaming;

/// <summary>
/// A managed plugin's session (the SDK's <see cref="IPluginSession"/>) behind <see cref="IEngineStream"/>.
/// A pump pulls the plugin's results into a bounded channel only while it has room, so a slow reader
/// stops the pulls. There is room for more input only when the channel has room and the pump is waiting
/// on the plugin with nothing taken: a result the plugin has made but the pump has not moved yet (its
/// continuation not yet run) counts as waiting, so the writes cannot outrun the pump and the plugin's own
/// buffer holds at most what one write yields.
/// </summary>
internal sealed class ManagedEngineStream : IEngineStream
{
    private readonly IEnginePlugin plugin;
    private readonly IPluginSession session;
    private readonly Channel<EngineDataSegment> results;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock state = new();
    private readonly Task pump;
    private Task<bool>? pumpWaiting;
    private bool pumpDone;
    private TaskCompletionSource? pumpProgress;

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
        while (true)
        {
            try
            {
                await results.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return; // the results ended with a failure: the reader reports it; nothing to wait for
            }

            Task progress;
            lock (state)
            {
                if (pumpDone || pumpWaiting is { IsCompleted: false })
                {
                    return;
                }

                pumpProgress ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                progress = pumpProgress.Task;
            }

            // The pump is moving a result (or blocked on the full channel): wait until it waits on the plugin again.
            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        var enumerator = session.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            while (true)
            {
                var move = enumerator.MoveNextAsync();
                bool more;
                if (move.IsCompleted)
                {
                    more = move.GetAwaiter().GetResult();
                }
                else
                {
                    var waiting = move.AsTask();
                    Progress(waiting, done: false);
                    more = await waiting.ConfigureAwait(false);
                    lock (state)
                    {
                        pumpWaiting = null;
                    }
                }

                if (!more)
                {
                    break;
                }

                var result = enumerator.Current;
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
        finally
        {
            Progress(null, done: true);
            try
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The plugin's iterator failing to clean up changes nothing: the results are already complete.
            }
        }
    }

    /// <summary>The pump now waits on the plugin (or is done): whoever waits for room looks again.</summary>
    private void Progress(Task<bool>? waiting, bool done)
    {
        TaskCompletionSource? wake;
        lock (state)
        {
            pumpWaiting = waiting;
            pumpDone |= done;
            wake = pumpProgress;
            pumpProgress = null;
        }

        wake?.TrySetResult();
    }
}
