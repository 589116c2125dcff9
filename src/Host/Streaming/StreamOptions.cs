using Inference.Host.Configuration;

namespace Inference.Host.Streaming;

/// <summary>The limits every streaming session runs under (the <c>Host:Stream*</c> settings).</summary>
public sealed record StreamOptions(TimeSpan IdleTimeout, TimeSpan MaxLifetime, int ReorderWindow, int MaxMessageBytes, int SendQueue)
{
    public static StreamOptions From(ServerOptions options) => new(
        TimeSpan.FromSeconds(options.StreamIdleTimeoutSeconds),
        TimeSpan.FromSeconds(options.StreamMaxLifetimeSeconds),
        options.StreamReorderWindow,
        options.StreamMaxMessageBytes,
        options.StreamSendQueue);
}
