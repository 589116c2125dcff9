using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Inference.WebSocketLoad;

/// <summary>
/// Chunk round trip: each session sends a binary chunk and waits for its result frame before the next
/// (closed loop), timed from just before the send to the end of the result; p50/p99/max after a warm-up.
/// </summary>
internal static class RoundTrip
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var open = Encoding.UTF8.GetBytes(options.OpenFrame);
        var chunk = Enumerable.Repeat((byte)'a', options.ChunkBytes).ToArray();
        var perSession = await Task.WhenAll(Enumerable.Range(0, options.Sessions).Select(_ => Task.Run(() => SessionAsync(options, open, chunk))));
        var all = perSession.SelectMany(t => t).Order().ToArray();
        Console.WriteLine($"{options.Sessions} session(s) x {options.Chunks} chunks of {options.ChunkBytes} B (after {options.Warmup} warm-up chunks each):");
        Console.WriteLine($"round trip p50 {Percentile(all, 0.50):0} us, p90 {Percentile(all, 0.90):0} us, p99 {Percentile(all, 0.99):0} us, max {all[^1]:0} us");
        return 0;
    }

    private static async Task<double[]> SessionAsync(LoadOptions options, byte[] open, byte[] chunk)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(options.Url, CancellationToken.None);
        await socket.SendAsync(open, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var times = new double[options.Chunks];
        for (var i = -options.Warmup; i < options.Chunks; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await socket.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException($"the host closed the session: {socket.CloseStatus} {socket.CloseStatusDescription}");
                }
            }
            while (!result.EndOfMessage);

            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }
        }

        await socket.SendAsync("""{"header":{"status":2}}"""u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        while ((await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None)).MessageType != WebSocketMessageType.Close)
        {
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return times;
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
