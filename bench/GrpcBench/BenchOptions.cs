using System.Globalization;

namespace Inference.GrpcBench;

/// <summary>What to measure: the host's two ports, the concurrency levels, how long each phase runs, how many HTTP/2 connections.</summary>
internal sealed record BenchOptions(Uri Http, Uri Grpc, int[] Concurrency, TimeSpan Duration, TimeSpan Warmup, int H2Connections, int Rounds)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        return new BenchOptions(
            new Uri(Get("--http", "http://127.0.0.1:8080")),
            new Uri(Get("--grpc", "http://127.0.0.1:8081")),
            Get("--concurrency", "1,8,32").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            TimeSpan.FromSeconds(double.Parse(Get("--duration", "10"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Get("--warmup", "2"), CultureInfo.InvariantCulture)),
            int.Parse(Get("--h2-connections", "1"), CultureInfo.InvariantCulture),
            int.Parse(Get("--rounds", "2"), CultureInfo.InvariantCulture));
    }
}
