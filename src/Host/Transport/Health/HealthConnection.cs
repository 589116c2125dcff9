using System.Net.Sockets;
using Inference.Host.Observability;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Transport.Health;

/// <summary>
/// One probe connection, served with blocking calls on its own thread: read a request head, answer
/// it, repeat while the client keeps the connection, close when it is idle for too long.
/// </summary>
public sealed class HealthConnection(Socket socket, HealthProbe probe, TimeSpan idleTimeout, ILogger logger)
{
    public void Run()
    {
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        var reason = "closed by the client";
        try
        {
            socket.ReceiveTimeout = (int)idleTimeout.TotalMilliseconds;
            socket.SendTimeout = (int)idleTimeout.TotalMilliseconds;
            socket.NoDelay = true;
            var buffer = new byte[HealthRequest.MaxHeadBytes];
            var filled = 0;
            while (true)
            {
                int headLength;
                while ((headLength = HealthRequest.HeadLength(buffer.AsSpan(0, filled))) < 0)
                {
                    if (filled == buffer.Length)
                    {
                        socket.Send(HealthResponse.Malformed($"the request head is longer than {HealthRequest.MaxHeadBytes} bytes"));
                        reason = "request head too long";
                        return;
                    }

                    var read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                if (!HealthRequest.TryParse(buffer.AsSpan(0, headLength), out var request))
                {
                    socket.Send(HealthResponse.Malformed("not an HTTP/1.1 request"));
                    reason = "malformed request";
                    return;
                }

                socket.Send(HealthResponse.For(request, probe, out var close));
                if (close)
                {
                    reason = "closed after the answer";
                    return;
                }

                // Pipelined bytes after this head belong to the next request.
                buffer.AsSpan(headLength, filled - headLength).CopyTo(buffer);
                filled -= headLength;
            }
        }
        catch (SocketException e)
        {
            reason = e.SocketErrorCode == SocketError.TimedOut ? "idle timeout" : e.SocketErrorCode.ToString();
        }
        catch (ObjectDisposedException)
        {
            reason = "the listener stopped";
        }
        finally
        {
            HealthLog.ConnectionEnded(logger, remote, reason);
            CloseGracefully(socket);
        }
    }

    /// <summary>
    /// Closes after the answer has left: closing with unread bytes (a body, the rest of an oversized head)
    /// makes the kernel send a reset that can destroy the answer before the client reads it, so the
    /// sending side is shut first and what is still arriving is read away for a moment.
    /// </summary>
    internal static void CloseGracefully(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            socket.ReceiveTimeout = 500;
            var drain = new byte[4096];
            for (var total = 0; total < 64 * 1024;)
            {
                var read = socket.Receive(drain);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Gone or timed out: nothing more to wait for.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
