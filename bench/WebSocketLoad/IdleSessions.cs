using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Inference.WebSocketLoad;

/// <summary>
/// Opens N sessions (each: the upgrade, then the first frame, so the plugin session exists too), keeps
/// them idle, and reports the host's memory per session: its resident memory with the sessions open
/// minus before, each read after the host's idle trim had time to run (--settle seconds of quiet).
/// </summary>
internal static class IdleSessions
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var open = Encoding.UTF8.GetBytes(options.OpenFrame);

        // Warm-up: the host's first sessions JIT the path and fill its pools; they are closed before the baseline.
        var warm = await OpenManyAsync(options, Math.Min(500, options.Sessions), open);
        await CloseAllAsync(warm);
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
        var before = HostMemory.ResidentBytes(options.HostPid);

        var stopwatch = Stopwatch.StartNew();
        var sockets = await OpenManyAsync(options, options.Sessions, open);
        var openedIn = stopwatch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
        var (hostOpen, pluginSessions) = await StreamStats.ReadAsync(options.Url);
        var after = HostMemory.ResidentBytes(options.HostPid);
        var alive = sockets.Count(s => s.State == WebSocketState.Open);

        Console.WriteLine($"sessions: {options.Sessions} opened in {openedIn.TotalSeconds:0.0} s ({options.Sessions / openedIn.TotalSeconds:0} per s), {alive} still open after {options.SettleSeconds} s idle");
        Console.WriteLine($"host: {hostOpen} sessions open, {pluginSessions} plugin sessions");
        if (before is { } b && after is { } a)
        {
            Console.WriteLine($"host RSS: {b / 1048576.0:0.0} MiB before, {a / 1048576.0:0.0} MiB with the sessions: {(a - b) / 1024.0 / options.Sessions:0.0} KiB per session");
        }

        await CloseAllAsync(sockets);
        return alive == options.Sessions && hostOpen >= options.Sessions ? 0 : 1;
    }

    private static async Task<List<ClientWebSocket>> OpenManyAsync(LoadOptions options, int count, byte[] open)
    {
        var sockets = new ClientWebSocket[count];
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(options.Concurrency, count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await socket.ConnectAsync(options.Url, CancellationToken.None);
                await socket.SendAsync(open, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                sockets[i] = socket;
            }
        });
        await Task.WhenAll(workers);
        return [.. sockets];
    }

    private static async Task CloseAllAsync(List<ClientWebSocket> sockets)
    {
        foreach (var chunk in sockets.Chunk(256))
        {
            await Task.WhenAll(chunk.Select(async s =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await s.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    // Gone already: nothing to close.
                }
                finally
                {
                    s.Dispose();
                }
            }));
        }
    }
}
