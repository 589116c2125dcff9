using System.CommandLine;
using System.CommandLine.Parsing;
using Inference.LoadGenerator.Running;

namespace Inference.LoadGenerator.Cli;

/// <summary>The generator's command line: every option with its help text, parsed into <see cref="CommandLineValues"/>.</summary>
internal sealed class LoadCommand
{
    private const string Summary = """
        Closed-loop HTTP/1.1 load generator: N clients, each on its own keep-alive connection, each sending its next request as soon as the previous answer is read. A warm-up runs first and is left out of the figures. Reports throughput, latency percentiles, answers per status and transport errors; optionally a health probe's latency and the server's memory.

        Examples:
          Inference.LoadGenerator http://127.0.0.1:8080/v2/models/simple/infer -i INPUT0:FP32:1x16 -i INPUT1:FP32:1x16 --binary -c 8 -d 10s
          Inference.LoadGenerator http://127.0.0.1:8080/v1/engines/gain --body request.json --sweep 1,2,4,8,16,32,64 --json sweep.json
          Inference.LoadGenerator http://127.0.0.1:8080/v2/health/live -c 4 --health-url http://127.0.0.1:8080/v2/health/ready --pid 1234 --settle 5s

        Exit codes: 0 ran; 1 some level got no HTTP answer at all; 2 bad command line.
        """;

    private readonly Argument<Uri> url = new("url") { Description = "The URL every request goes to (http://; https:// with --client http)", CustomParser = ParseUrl };
    private readonly Option<string?> method = new("--method", "-X") { Description = "HTTP method [default: POST with a body, GET without]" };
    private readonly Option<string[]> headers = new("--header", "-H") { Description = "Extra request header 'name:value'; repeat for more. Overrides a generated header of the same name (Content-Type, Inference-Header-Content-Length)" };
    private readonly Option<string?> body = new("--body") { Description = "Send this file as the body: e.g. an engine-API JSON request (/v1/engines/...) or a prepared OIP body. Content-Type: application/json for *.json, else application/octet-stream" };
    private readonly Option<string?> contentType = new("--content-type") { Description = "Content-Type of the body, instead of the one chosen for --body or --input" };
    private readonly Option<string[]> inputs = new("--input", "-i") { Description = "Generate an Open Inference Protocol infer request with this input, NAME:DATATYPE:SHAPE (e.g. INPUT0:FP32:1x16; an empty shape is a scalar); repeat for each input. Values are pseudo-random, fixed by --seed" };
    private readonly Option<bool> binary = new("--binary") { Description = "Send the generated inputs with the binary tensor extension (JSON header + raw bytes, Inference-Header-Content-Length) instead of JSON data" };
    private readonly Option<bool> binaryOutput = new("--binary-output") { Description = "Ask for binary outputs (binary_data_output: true) in the generated request" };
    private readonly Option<int> seed = new("--seed") { Description = "Seed of the generated input values", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> concurrency = new("--concurrency", "-c") { Description = "Clients (connections), each with one request in flight [default: 1]" };
    private readonly Option<IReadOnlyList<int>?> sweep = new("--sweep") { Description = "Run each of these concurrency levels in turn (e.g. 1,2,4,8,16,32,64), each with its warm-up and duration and fresh connections; one row per level", CustomParser = ParseSweep };
    private readonly Option<TimeSpan?> duration = new("--duration", "-d") { Description = "Measured time per level: 500ms, 10s, 2m, or seconds [default: 10s]", CustomParser = ParseDuration };
    private readonly Option<TimeSpan?> warmUp = new("--warmup", "-w") { Description = "Load before each level's measured window, left out of its figures [default: 2s; 0 for none]", CustomParser = ParseDuration };
    private readonly Option<TimeSpan?> timeout = new("--timeout") { Description = "A request with no complete answer after this long counts as a timeout error and its connection is reopened [default: 10s]", CustomParser = ParseDuration };
    private readonly Option<ClientKind> client = new("--client") { Description = "raw: a socket, the request serialized once, a minimal response parser (least client CPU); http: .NET's SocketsHttpHandler (for comparison, and https)", DefaultValueFactory = _ => ClientKind.Raw };
    private readonly Option<Uri?> healthUrl = new("--health-url") { Description = "Also GET this URL on a separate connection every --health-interval during the run; reports its p50/p99/max and failures (non-2xx or no answer)", CustomParser = ParseOptionalUrl };
    private readonly Option<TimeSpan?> healthInterval = new("--health-interval") { Description = "Time between health probes, start to start [default: 10ms]", CustomParser = ParseDuration };
    private readonly Option<int?> pid = new("--pid") { Description = "Sample this process's resident memory (VmRSS from /proc/<pid>/status): at each level's start, its peak during the level, and after --settle" };
    private readonly Option<TimeSpan?> settle = new("--settle") { Description = "With --pid: wait this long after each level before reading the memory again, to show it returning to its baseline [default: 0]", CustomParser = ParseDuration };
    private readonly Option<string?> json = new("--json") { Description = "Also write the figures to this file as JSON (latencies in µs, memory in KiB)" };

    public RootCommand CreateRoot(Func<CommandLineValues, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand(Summary)
        {
            url, method, headers, body, contentType, inputs, binary, binaryOutput, seed, concurrency, sweep, duration, warmUp, timeout,
            client, healthUrl, healthInterval, pid, settle, json,
        };
        root.SetAction((parse, cancellationToken) => run(Values(parse), cancellationToken));
        return root;
    }

    private CommandLineValues Values(ParseResult parse) => new()
    {
        Url = parse.GetValue(url)!,
        Method = parse.GetValue(method),
        Headers = parse.GetValue(headers) ?? [],
        BodyFile = parse.GetValue(body),
        ContentType = parse.GetValue(contentType),
        Inputs = parse.GetValue(inputs) ?? [],
        Binary = parse.GetValue(binary),
        BinaryOutput = parse.GetValue(binaryOutput),
        Seed = parse.GetValue(seed),
        Concurrency = parse.GetValue(concurrency),
        Sweep = parse.GetValue(sweep),
        Duration = parse.GetValue(duration),
        WarmUp = parse.GetValue(warmUp),
        Timeout = parse.GetValue(timeout),
        Client = parse.GetValue(client),
        HealthUrl = parse.GetValue(healthUrl),
        HealthInterval = parse.GetValue(healthInterval),
        Pid = parse.GetValue(pid),
        Settle = parse.GetValue(settle),
        JsonPath = parse.GetValue(json),
    };

    private static Uri ParseUrl(ArgumentResult result) => ParseOptionalUrl(result)!;

    private static Uri? ParseOptionalUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            return parsed;
        }

        result.AddError($"'{text}' is not an absolute http:// or https:// URL");
        return null;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var parsed = DurationParser.Parse(result.Tokens[0].Value, out var error);
        if (error is not null)
        {
            result.AddError(error);
        }

        return parsed;
    }

    private static IReadOnlyList<int>? ParseSweep(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var parsed = SweepParser.Parse(result.Tokens[0].Value, out var error);
        if (error is not null)
        {
            result.AddError(error);
        }

        return parsed;
    }
}
