using System.Globalization;
using Inference.Benchmarks.InferPath;

namespace Inference.Benchmarks;

/// <summary>
/// `infer-path-allocations [requests]`: the bytes one binary request allocates through the real
/// endpoint, exact (the thread's allocation counter over many requests), and by type (sampled
/// GCAllocationTick events). The type split includes ASP.NET's share; see InferPathBenchmarks.AspNetOnly.
/// </summary>
internal static class InferPathAllocations
{
    public static void Run(string[] args)
    {
        var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        using var fixture = new InferPathFixture();
        fixture.Check();
        for (var i = 0; i < 20_000; i++)
        {
            OneRequest(fixture);
        }

        using var sampler = new AllocationSampler();
        Thread.Sleep(500); // the listener attaches to the runtime's event source asynchronously
        sampler.Start();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < requests; i++)
        {
            OneRequest(fixture);
        }

        var perRequest = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / requests;
        sampler.Stop();
        Thread.Sleep(500);

        Console.WriteLine($"{requests:N0} requests through InferEndpoint.HandleAsync: {perRequest:N1} B per request (thread allocation counter); {sampler.Total:N0} allocation ticks");
        Console.WriteLine();
        Console.WriteLine("| type | ticks | share | ~B per request |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (type, count) in sampler.Ticks.OrderByDescending(p => p.Value))
        {
            var share = (double)count / Math.Max(1, sampler.Total);
            Console.WriteLine($"| {type} | {count:N0} | {share:P1} | {share * perRequest:N0} |");
        }
    }

    private static void OneRequest(InferPathFixture fixture)
    {
        fixture.Http.Reset();
        fixture.Endpoint.HandleAsync(fixture.Http.Context).GetAwaiter().GetResult();
    }
}
