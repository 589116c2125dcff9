using System.Globalization;
using Inference.GrpcBench;

// gRPC ModelInfer vs HTTP/1.1 binary infer for the `simple` model against one running host, in one
// run: at each concurrency, the two protocols alternate for several rounds so that drift on a shared
// machine hits both alike. Usage (bench/grpc/compare.sh starts the host):
//   Inference.GrpcBench --http http://127.0.0.1:8080 --grpc http://127.0.0.1:8081 --concurrency 1,8,32 --duration 10 --h2-connections 1 --rounds 2
var options = BenchOptions.Parse(args);
var grpc = InferClient.Grpc(options.Grpc, options.H2Connections);
var http = InferClient.Http(options.Http, options.Concurrency.Max());
Console.WriteLine($"simple, raw FP32 [1,16] x2 in and out; {options.Duration.TotalSeconds:0} s per phase after {options.Warmup.TotalSeconds:0} s warm-up; gRPC over {options.H2Connections} HTTP/2 connection(s), HTTP/1.1 over one connection per client; {options.Rounds} rounds");
Console.WriteLine("| concurrency | protocol | round | calls/s | p50 us | p99 us | failures |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
foreach (var n in options.Concurrency)
{
    for (var round = 1; round <= options.Rounds; round++)
    {
        var order = round % 2 == 1 ? new[] { ("gRPC", grpc), ("HTTP/1.1", http) } : [("HTTP/1.1", http), ("gRPC", grpc)];
        foreach (var (name, client) in order)
        {
            var r = await ClosedLoop.RunAsync(name, client, n, options.Warmup, options.Duration);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | {name} | {round} | {r.PerSecond:0} | {r.P50Microseconds:0} | {r.P99Microseconds:0} | {r.Failures} |"));
        }
    }
}
