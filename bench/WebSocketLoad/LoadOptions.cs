using System.Globalization;

namespace Inference.WebSocketLoad;

/// <summary>The command line: a mode, the stream's URL, and the mode's numbers.</summary>
internal sealed record LoadOptions(
    string Mode,
    Uri Url,
    int Sessions,
    int Concurrency,
    int? HostPid,
    int SettleSeconds,
    int Chunks,
    int Warmup,
    int ChunkBytes,
    string OpenFrame)
{
    public const string Usage = """
        usage: WebSocketLoad idle|rtt --url ws://HOST:PORT/v1/engines/SERVICE/stream [options]
          idle: --sessions N (10000) --concurrency N (64, opening) --host-pid PID (RSS from /proc) --settle S (8)
          rtt:  --sessions N (1, each a closed loop) --chunks N (20000 per session) --warmup N (2000) --chunk-bytes N (640)
          both: --open JSON (the first frame; default {"header":{"status":0},"parameter":{}})
        """;

    public static LoadOptions Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new ArgumentException("no mode given");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v)
            ? int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--{name} must be a positive integer, got '{v}'")
            : fallback;

        var url = values.TryGetValue("url", out var u) && Uri.TryCreate(u, UriKind.Absolute, out var parsed) && parsed.Scheme is "ws" or "wss"
            ? parsed
            : throw new ArgumentException("--url must be a ws:// URL of a stream route");
        var mode = args[0];
        return new LoadOptions(
            mode,
            url,
            Int("sessions", mode == "idle" ? 10_000 : 1),
            Int("concurrency", 64),
            values.ContainsKey("host-pid") ? Int("host-pid", 0) : null,
            Int("settle", 8),
            Int("chunks", 20_000),
            Int("warmup", 2_000),
            Int("chunk-bytes", 640),
            values.GetValueOrDefault("open", """{"header":{"status":0},"parameter":{}}"""));
    }
}
