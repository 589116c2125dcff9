using System.Threading.Channels;
using Inference.Host.Protocol.Engine;

namespace Inference.Host.Streaming;

/// <summary>
/// One streaming session of a plugin, whatever its kind: chunks in, results out as the plugin yields
/// them. Transports (WebSocket today) drive it; they never see which plugin kind is behind it.
/// Writes are made one at a time, in order; the results are read by one reader, concurrently with them.
/// Disposing it closes the plugin's session (managed DisposeAsync, native wrapperDestroy).
/// </summary>
public interface IEngineStream : IAsyncDisposable
{
    /// <summary>
    /// The plugin's results in the order it yields them; the last is the one with status End (or Once).
    /// A plugin failure ends the reader with <see cref="Engines.EnginePluginException"/> (its code), a host
    /// limit with <see cref="StreamFailureException"/>. Bounded: see <see cref="WaitForRoomAsync"/>.
    /// </summary>
    ChannelReader<EngineDataSegment> Results { get; }

    /// <summary>Hands the plugin one frame's chunks (statuses already resolved); plugin failures are <see cref="Engines.EnginePluginException"/>.</summary>
    ValueTask WriteAsync(IReadOnlyList<EngineDataSegment> chunks, CancellationToken cancellationToken);

    /// <summary>
    /// Completes once fewer results than the session's bound wait for the reader. A transport waits on it
    /// before it takes more input, so a slow reader stops the input instead of growing a buffer.
    /// </summary>
    ValueTask WaitForRoomAsync(CancellationToken cancellationToken);
}
