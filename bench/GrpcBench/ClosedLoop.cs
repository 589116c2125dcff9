using System.Diagnostics;

namespace Inference.GrpcBench;

/// <summary>
/// N workers, each sending its next call as soon as the last one is answered, for a warm-up (not
/// counted) then the measured duration; latencies are kept per worker and merged at the end.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<PhaseResult> RunAsync(string protocol, InferClient client, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(warmup + duration);
        var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => WorkerAsync(client, w, measureFrom, stop.Token))).ToArray();
        var results = await Task.WhenAll(workers);
        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        var failures = results.Sum(r => r.Failures);
        return new PhaseResult(protocol, concurrency, latencies.Length / duration.TotalSeconds, failures, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static async Task<(List<double> Latencies, long Failures)> WorkerAsync(InferClient client, int worker, long measureFrom, CancellationToken stop)
    {
        var latencies = new List<double>(1 << 16);
        long failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = await client.SendAsync(worker, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (HttpRequestException)
            {
                ok = false;
            }

            if (start < measureFrom)
            {
                continue;
            }

            if (ok)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
            else
            {
                failures++;
            }
        }

        return (latencies, failures);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
