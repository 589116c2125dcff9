namespace Inference.LoadGenerator.Http;

/// <summary>One client's connection, sending the same prepared request again and again.</summary>
internal interface IRequestSender : IDisposable
{
    /// <summary>Connections opened so far (1 for a connection kept alive all run).</summary>
    long Connects { get; }

    /// <summary>Sends the request and reads the whole answer; returns its status. Throws <see cref="TransportException"/>.</summary>
    ValueTask<int> SendAsync();

    /// <summary>Called by the run's watchdog: drop the connection if the request in flight is older than the timeout.</summary>
    void CheckTimeout(long nowTimestamp, long timeoutTicks);

    /// <summary>Drops the connection at once; a request in flight fails.</summary>
    void Abort();
}
