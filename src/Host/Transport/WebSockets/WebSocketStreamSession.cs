using System.Net.WebSockets;
using Inference.Host.Buffers;
using Inference.Host.Engines;
using Inference.Host.Observability;
using Inference.Host.Protocol.Engine;
using Inference.Host.Streaming;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Transport.WebSockets;

/// <summary>
/// One WebSocket streaming session, from the accepted socket to the plugin session's close. Two loops:
/// the receiver reads frames (only while the results queue has room, so a slow reader stops the input),
/// puts them in order and writes them to the plugin; the sender pushes each result as the plugin yields
/// it and is the only one to send. The first of these decides how the session ends: the End result
/// (close 1000), a failure (error frame, then a close code that says why), the client closing or
/// dropping, an idle or lifetime clock running out, or the host stopping (1001). The closing handshake
/// then gets <see cref="CloseTimeout"/> before the socket is aborted; the plugin session is closed last.
/// </summary>
internal sealed class WebSocketStreamSession
{
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket socket;
    private readonly EngineVersionEntry entry;
    private readonly EngineStreamFactory factory;
    private readonly StreamOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly StreamCounters counters;
    private readonly CancellationToken aborted;
    private readonly string sessionId = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StreamSequencer sequencer;
    private readonly List<StreamFrame> ready = [];
    private readonly string version;
    private IEngineStream? stream;
    private StreamOutcome? outcome;
    private string segment;
    private string encoding;
    private long chunksIn;
    private long resultsOut;

    public WebSocketStreamSession(WebSocket socket, EngineVersionEntry entry, EngineStreamFactory factory, StreamOptions options, StreamCounters counters, TimeProvider time, ILogger logger, CancellationToken aborted)
    {
        this.socket = socket;
        this.entry = entry;
        this.factory = factory;
        this.options = options;
        this.counters = counters;
        this.time = time;
        this.logger = logger;
        this.aborted = aborted;
        sequencer = new StreamSequencer(options.ReorderWindow);
        version = entry.Version.ToString();

        // Binary frames go to the current segment: the one the last text frame carried, else the first declared.
        var first = entry.Engine!.Manifest.Request[0];
        segment = first.Name;
        encoding = first.Encodings[0];
    }

    public string SessionId => sessionId;

    /// <summary>Runs the session to its end; never throws (the outcome is logged and counted).</summary>
    public async Task RunAsync(CancellationToken hostStopping)
    {
        var started = time.GetTimestamp();
        counters.SessionOpened();
        StreamLog.Accepted(logger, sessionId, entry.Service, version);
        try
        {
            using (var deadlines = new StreamDeadlines(time, options.IdleTimeout, options.MaxLifetime, Expired))
            using (hostStopping.UnsafeRegister(static s => ((WebSocketStreamSession)s!).Decide(StreamOutcome.GoingAway), this))
            {
                var sending = SendLoopAsync(deadlines);
                var receiving = ReceiveLoopAsync(deadlines);
                await decided.Task.ConfigureAwait(false);
                var both = Task.WhenAll(sending, receiving);
                try
                {
                    await both.WaitAsync(CloseTimeout, time).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    socket.Abort(); // the client did not answer our close (or stopped reading): drop it
                    await both.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await CloseStreamAsync().ConfigureAwait(false);
            stop.Dispose();
            var end = outcome ?? StreamOutcome.Disconnected;
            counters.SessionClosed(end.Kind == StreamOutcomeKind.Ended, end.Kind == StreamOutcomeKind.Failed);
            StreamLog.Closed(logger, sessionId, entry.Service, version, end.Kind.ToString(), end.CloseCode, (long)time.GetElapsedTime(started).TotalMilliseconds, chunksIn, resultsOut);
        }
    }

    /// <summary>The first caller decides how the session ends; the loops then stop feeding and reading the plugin.</summary>
    private void Decide(StreamOutcome decision)
    {
        if (Interlocked.CompareExchange(ref outcome, decision, null) is not null)
        {
            return;
        }

        if (decision.Failure is { } failure)
        {
            switch (failure.Kind)
            {
                case StreamFailureKind.Plugin:
                    StreamLog.PluginFailed(logger, sessionId, entry.Service, version, failure.Code, failure.Message);
                    break;
                case StreamFailureKind.Timeout:
                    StreamLog.Expired(logger, sessionId, entry.Service, version, failure.Message);
                    break;
                case StreamFailureKind.Overflow:
                    StreamLog.Overflow(logger, sessionId, entry.Service, version, failure.Message);
                    break;
                case StreamFailureKind.Protocol or StreamFailureKind.TooLarge:
                    StreamLog.ProtocolError(logger, sessionId, entry.Service, version, failure.Code, failure.Message);
                    break;
            }
        }

        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session is already over.
        }

        opened.TrySetResult();
        decided.TrySetResult();
    }

    private void Expired(StreamExpiry expiry) => Decide(StreamOutcome.Failed(expiry == StreamExpiry.Idle
        ? new StreamFailure(StreamFailureKind.Timeout, StreamErrorCodes.IdleTimeout, $"no frame was received or sent for {options.IdleTimeout.TotalSeconds:0} s (Host:StreamIdleTimeoutSeconds)")
        : new StreamFailure(StreamFailureKind.Timeout, StreamErrorCodes.LifetimeExceeded, $"the session reached its maximum lifetime of {options.MaxLifetime.TotalSeconds:0} s (Host:StreamMaxLifetimeSeconds)")));

    /// <summary>
    /// Decides from an exception: a failure value (the plugin's or the protocol's), the client gone (what
    /// the socket throws), or a host failure; a cancellation after the decision is nothing new.
    /// </summary>
    private void Fail(Exception e)
    {
        switch (e)
        {
            case StreamFailureException f:
                Decide(StreamOutcome.Failed(f.Failure));
                break;
            case EnginePluginException p:
                Decide(StreamOutcome.Failed(StreamFailure.FromPlugin(p, entry.Engine!.Manifest)));
                break;
            case OperationCanceledException when stop.IsCancellationRequested:
                break;
            case OperationCanceledException when aborted.IsCancellationRequested:
            case WebSocketException: // only the socket throws these
            case IOException or ObjectDisposedException when IsSocketGone():
                Decide(StreamOutcome.Disconnected);
                break;
            default:
                StreamLog.HostFailed(logger, sessionId, entry.Service, version, e);
                Decide(StreamOutcome.Failed(StreamFailure.Internal($"the host failed: {e.Message}")));
                break;
        }
    }

    private bool IsSocketGone() => socket.State is WebSocketState.Aborted or WebSocketState.Closed || aborted.IsCancellationRequested;

    private async Task ReceiveLoopAsync(StreamDeadlines deadlines)
    {
        try
        {
            while (true)
            {
                if (outcome is null && stream is { } open)
                {
                    try
                    {
                        // Backpressure: no more input while the client has not taken the results it has.
                        await open.WaitForRoomAsync(stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                }

                var message = await MessageReceiver.ReceiveAsync(socket, options.MaxMessageBytes, aborted).ConfigureAwait(false);
                if (message.IsClose)
                {
                    Decide(StreamOutcome.ClientClosed(socket.CloseStatus));
                    return;
                }

                deadlines.Touch();
                try
                {
                    if (outcome is not null)
                    {
                        continue; // closing: what the client sends until its close is dropped
                    }

                    if (message.TooLarge)
                    {
                        throw new StreamFailureException(new StreamFailure(StreamFailureKind.TooLarge, StreamErrorCodes.MessageTooLarge, $"a message is larger than {options.MaxMessageBytes} bytes (Host:StreamMaxMessageBytes); send the audio in smaller chunks"));
                    }

                    await OnMessageAsync(message).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // What the frame or the plugin did: the session fails, the loop reads on until the client closes.
                    Fail(e);
                }
                finally
                {
                    message.Release();
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async ValueTask OnMessageAsync(ReceivedMessage message)
    {
        var manifest = entry.Engine!.Manifest;
        if (message.Type == WebSocketMessageType.Text)
        {
            var frame = FrameReader.Read(message.Memory, manifest, first: stream is null, segment, encoding);
            if (stream is null)
            {
                Open(frame.Parameters!, frame.Expect);
            }

            if (frame.Chunks.Count > 0)
            {
                (segment, encoding) = (frame.Chunks[0].Name, frame.Chunks[0].Encoding);
                await FeedAsync(frame.Seq, frame.Chunks).ConfigureAwait(false);
            }

            return;
        }

        if (stream is null)
        {
            Open(FrameReader.Defaults(manifest), new Dictionary<string, string?>());
        }

        // Delivered at once unless frames wait for a gap: only then must the bytes outlive the receive buffer.
        var data = sequencer.NothingHeld ? message.Memory : message.Memory.ToArray();
        await FeedAsync(null, [new EngineDataSegment(segment, encoding, StreamSequencer.ImpliedStatus, data)]).ConfigureAwait(false);
    }

    private void Open(IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, string?> expect)
    {
        stream = factory.Open(entry, sessionId, parameters, expect, options.SendQueue);
        counters.PluginSessionOpened();
        StreamLog.Opened(logger, sessionId, entry.Service, version, stream.GetType().Name);
        opened.TrySetResult();
    }

    private async ValueTask FeedAsync(long? seq, IReadOnlyList<EngineDataSegment> chunks)
    {
        ready.Clear();
        if (sequencer.Accept(seq, chunks, ready) is { } failure)
        {
            throw new StreamFailureException(failure);
        }

        foreach (var frame in ready)
        {
            chunksIn += frame.Chunks.Count;
            counters.ChunkIn(frame.Chunks.Count);
            await stream!.WriteAsync(frame.Chunks, stop.Token).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(StreamDeadlines deadlines)
    {
        try
        {
            await opened.Task.ConfigureAwait(false);
            if (stream is { } open && outcome is null)
            {
                await SendResultsAsync(open.Results, deadlines).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }

        await decided.Task.ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task SendResultsAsync(System.Threading.Channels.ChannelReader<EngineDataSegment> results, StreamDeadlines deadlines)
    {
        while (await results.WaitToReadAsync(stop.Token).ConfigureAwait(false))
        {
            while (results.TryRead(out var result))
            {
                using (var frame = PooledBufferWriter.Rent())
                {
                    StreamFrameWriter.Result(frame, sessionId, ++resultsOut, result);
                    await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, aborted).ConfigureAwait(false);
                }

                deadlines.Touch();
                counters.ResultOut();
                if (result.Status is (int)Plugins.Sdk.DataStatus.End or (int)Plugins.Sdk.DataStatus.Once)
                {
                    Decide(StreamOutcome.Ended);
                    return;
                }
            }
        }

        throw new StreamFailureException(new StreamFailure(StreamFailureKind.Plugin, StreamErrorCodes.InvalidOutput, "the plugin ended its results without one with status 2 (end)"));
    }

    /// <summary>The sender's last act: the error frame if the session failed, then the close (or the echo of the client's).</summary>
    private async Task CloseAsync()
    {
        var end = outcome!;
        if (end.Kind == StreamOutcomeKind.Disconnected)
        {
            return;
        }

        try
        {
            if (end.Failure is { } failure && socket.State == WebSocketState.Open)
            {
                using var frame = PooledBufferWriter.Rent();
                StreamFrameWriter.Error(frame, sessionId, failure);
                await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, aborted).ConfigureAwait(false);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)end.CloseCode, end.Reason, aborted).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone: nothing more to tell it.
        }
    }

    private async Task CloseStreamAsync()
    {
        if (stream is not { } open)
        {
            return;
        }

        try
        {
            await open.DisposeAsync().ConfigureAwait(false);
            counters.PluginSessionClosed();
        }
        catch (Exception e)
        {
            StreamLog.CloseFailed(logger, sessionId, entry.Service, version, e);
        }
    }
}
