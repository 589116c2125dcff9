using System.Diagnostics;
using Inference.LoadGenerator.Http;
using Inference.LoadGenerator.Measurement;
using Inference.LoadGenerator.Requests;

namespace Inference.LoadGenerator.Running;

/// <summary>
/// One closed-loop level: N clients, each on its own keep-alive connection, each sending its next
/// request as soon as the previous answer is read. Warm-up, then the measured window: only answers
/// completing inside it count, and the generator's own CPU time is read at both ends of it.
/// </summary>
internal static class LevelRunner
{
    // How long clients may finish the request in flight after the window before their connections are dropped.
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(5);

    public static async Task<LevelResult> RunAsync(LoadOptions options, int concurrency, SenderFactory factory, CancellationToken cancellationToken)
    {
        // Timeouts, probes and the window's end are timer callbacks on pool threads. At its start-up size
        // the pool grows by about one thread per second when work blocks (seen: first calls into
        // SocketsHttpHandler), which held a 300 ms timeout back for a whole second.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, concurrency + 4), completionPorts);
        var clock = new RunClock();
        var senders = Enumerable.Range(0, concurrency).Select(_ => factory.Create()).ToList();
        var stats = senders.Select(_ => new RequestStats()).ToArray();
        var watched = new List<IRequestSender>(senders);
        HealthProbe? health = null;
        if (options.HealthUrl is { } healthUrl)
        {
            var healthSender = new RawHttpSender(await SenderFactory.ResolveAsync(healthUrl, cancellationToken), RequestSerializer.Serialize(HealthRequest(healthUrl)), headRequest: false, blocking: true);
            watched.Add(healthSender);
            health = new HealthProbe(healthSender, options.HealthInterval, clock);
        }

        var memory = options.Pid is { } pid ? new MemorySampler(pid, options.MemoryInterval) : null;
        memory?.Start();
        using var watchdog = new TimeoutWatchdog(watched, options.Timeout);
        health?.Start();
        var clients = senders.Select((sender, i) => Task.Run(() => ClientLoopAsync(sender, stats[i], clock))).ToArray();

        var interrupted = !await DelayAsync(options.WarmUp, cancellationToken);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var windowStart = Stopwatch.GetTimestamp();
        clock.Phase = RunPhase.Measure;
        interrupted = interrupted || !await DelayAsync(options.Duration, cancellationToken);
        clock.Phase = RunPhase.Stop;
        var measured = Stopwatch.GetElapsedTime(windowStart);
        self.Refresh();
        var clientCpu = self.TotalProcessorTime - cpuBefore;

        await DrainAsync(clients, senders, options.Timeout < MaxDrain ? options.Timeout : MaxDrain);
        if (health is not null)
        {
            await health.StopAsync();
        }

        var connects = senders.Sum(s => s.Connects);
        foreach (var sender in senders)
        {
            sender.Dispose();
        }

        MemoryResult? memoryResult = null;
        if (memory is not null)
        {
            await memory.StopAsync();
            if (!interrupted)
            {
                await DelayAsync(options.Settle, cancellationToken);
            }

            var after = ProcessMemory.ReadRssKib(options.Pid!.Value);
            memoryResult = new MemoryResult(memory.StartKib, memory.PeakKib, after, options.Settle, memory.Lost || after is null);
        }

        var total = new RequestStats();
        foreach (var client in stats)
        {
            total.Add(client);
        }

        return new LevelResult(concurrency, measured, total, connects, clientCpu, health?.Stats, memoryResult, interrupted);
    }

    private static async Task ClientLoopAsync(IRequestSender sender, RequestStats stats, RunClock clock)
    {
        while (!clock.Stopping)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                var status = await sender.SendAsync();
                if (clock.Measuring)
                {
                    stats.RecordResponse(status, Nanoseconds.Since(start));
                }
            }
            catch (TransportException e)
            {
                if (clock.Measuring)
                {
                    stats.RecordError(e.Kind);
                }

                if (e.Kind == TransportErrorKind.Connect)
                {
                    // Nothing listening: retry, but without spinning a core the server may need.
                    await Task.Delay(10);
                }
            }
        }
    }

    private static async Task DrainAsync(Task[] clients, IReadOnlyList<IRequestSender> senders, TimeSpan grace)
    {
        var all = Task.WhenAll(clients);
        if (await Task.WhenAny(all, Task.Delay(grace)) != all)
        {
            foreach (var sender in senders)
            {
                sender.Abort();
            }
        }

        await all;
    }

    /// <summary>False when cancelled (Ctrl+C) before the delay ran out.</summary>
    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static RequestTarget HealthRequest(Uri url) => new(url, "GET", [], []);
}
