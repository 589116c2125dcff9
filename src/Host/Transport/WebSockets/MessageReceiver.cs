using System.Buffers;
using System.Net.WebSockets;

namespace Inference.Host.Transport.WebSockets;

/// <summary>
/// Reads whole messages (all their fragments) up to a size limit. An idle session holds no buffer: it
/// waits with a zero-byte read (which Kestrel and the WebSocket pass down to the socket), and rents one
/// only once data is there, sized to the message as it grows.
/// </summary>
internal static class MessageReceiver
{
    private const int FirstBuffer = 4096;

    public static async ValueTask<ReceivedMessage> ReceiveAsync(WebSocket socket, int maxBytes, CancellationToken cancellationToken)
    {
        var head = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (head.MessageType == WebSocketMessageType.Close)
        {
            return ReceivedMessage.Close;
        }

        if (head.EndOfMessage)
        {
            return new ReceivedMessage(head.MessageType, null, 0); // an empty message
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBuffer, maxBytes + 1));
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var part = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return ReceivedMessage.Close;
                }

                count += part.Count;
                if (count > maxBytes)
                {
                    // Not read to its end: the session closes (1009) and drops what follows.
                    ArrayPool<byte>.Shared.Return(buffer);
                    return ReceivedMessage.TooLargeMessage;
                }

                if (part.EndOfMessage)
                {
                    return new ReceivedMessage(part.MessageType, buffer, count);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
