namespace Inference.Host.Streaming;

/// <summary>
/// Counters of one engine version's streaming sessions: open now, opened, and how they ended; the plugin
/// sessions open now (counted down only once the plugin's close returned); chunks handed to the plugin
/// and results sent.
/// </summary>
public sealed class StreamCounters
{
    private long open;
    private long pluginSessions;
    private long opened;
    private long ended;
    private long cancelled;
    private long failed;
    private long chunksIn;
    private long resultsOut;

    public long Open => Interlocked.Read(ref open);

    public long Opened => Interlocked.Read(ref opened);

    /// <summary>Plugin sessions created and not yet closed (managed DisposeAsync or native wrapperDestroy returned).</summary>
    public long PluginSessions => Interlocked.Read(ref pluginSessions);

    /// <summary>Ended with the plugin's End result (close 1000).</summary>
    public long Ended => Interlocked.Read(ref ended);

    /// <summary>Closed or dropped by the client before the end, or closed because the host stopped.</summary>
    public long Cancelled => Interlocked.Read(ref cancelled);

    /// <summary>Ended with an error frame.</summary>
    public long Failed => Interlocked.Read(ref failed);

    public long ChunksIn => Interlocked.Read(ref chunksIn);

    public long ResultsOut => Interlocked.Read(ref resultsOut);

    public void SessionOpened()
    {
        Interlocked.Increment(ref opened);
        Interlocked.Increment(ref open);
    }

    public void SessionClosed(bool wasEnded, bool wasFailed)
    {
        if (wasEnded)
        {
            Interlocked.Increment(ref ended);
        }
        else if (wasFailed)
        {
            Interlocked.Increment(ref failed);
        }
        else
        {
            Interlocked.Increment(ref cancelled);
        }

        Interlocked.Decrement(ref open);
    }

    public void PluginSessionOpened() => Interlocked.Increment(ref pluginSessions);

    public void PluginSessionClosed() => Interlocked.Decrement(ref pluginSessions);

    public void ChunkIn(int count) => Interlocked.Add(ref chunksIn, count);

    public void ResultOut() => Interlocked.Increment(ref resultsOut);
}
