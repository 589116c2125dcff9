using System.Buffers;
using System.Net.WebSockets;

namespace Inference.Host.Transport.WebSockets;

/// <summary>
/// One whole WebSocket message in a pooled buffer (or a close, or one over the size limit). The bytes
/// are valid until <see cref="Release"/>, which gives the buffer back; release exactly once.
/// </summary>
internal readonly struct ReceivedMessage(WebSocketMessageType type, byte[]? buffer, int count, bool tooLarge = false)
{
    public static ReceivedMessage Close => new(WebSocketMessageType.Close, null, 0);

    public static ReceivedMessage TooLargeMessage => new(WebSocketMessageType.Binary, null, 0, tooLarge: true);

    public WebSocketMessageType Type { get; } = type;

    public bool IsClose => Type == WebSocketMessageType.Close;

    public bool TooLarge { get; } = tooLarge;

    public int Count { get; } = count;

    public ReadOnlyMemory<byte> Memory => buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, Count);

    public void Release()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
