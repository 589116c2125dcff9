using System.Diagnostics;

namespace Inference.Benchmarks;

/// <summary>
/// The run-overhead figure with the machine's noise taken out: the raw C-API call and the binding
/// alternate in 401 rounds of 2,000 calls in one process, and the median of the per-round ratios is
/// reported. On a shared 2-vCPU VM, ORT's own time drifts by 10-20% between BenchmarkDotNet's runs,
/// more than the overhead being measured; alternating rounds see the same drift on both sides.
/// Run: <c>dotnet bench/Benchmarks/bin/Release/net10.0/Inference.Benchmarks.dll run-overhead-ab</c>.
/// </summary>
public static class RunOverheadComparison
{
    public static void Run(int rounds = 401, int callsPerRound = 2_000)
    {
        var benchmark = new RunOverheadBenchmarks();
        benchmark.Setup();
        for (var i = 0; i < callsPerRound; i++)
        {
            benchmark.RawCApi();
            benchmark.Binding();
        }

        var raw = new double[rounds];
        var binding = new double[rounds];
        var ratios = new double[rounds];
        Action rawCall = benchmark.RawCApi, bindingCall = benchmark.Binding;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var r = 0; r < rounds; r++)
        {
            // Alternate which side goes first, so that neither gets the warmer caches every round.
            if (r % 2 == 0)
            {
                raw[r] = TimeRound(rawCall, callsPerRound);
                binding[r] = TimeRound(bindingCall, callsPerRound);
            }
            else
            {
                binding[r] = TimeRound(bindingCall, callsPerRound);
                raw[r] = TimeRound(rawCall, callsPerRound);
            }

            ratios[r] = binding[r] / raw[r];
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        benchmark.Cleanup();
        Array.Sort(raw);
        Array.Sort(binding);
        Array.Sort(ratios);
        Console.WriteLine($"raw C API   median {raw[rounds / 2]:F0} ns per Run");
        Console.WriteLine($"binding     median {binding[rounds / 2]:F0} ns per Run");
        Console.WriteLine($"overhead    median {(ratios[rounds / 2] - 1) * 100:F1}% (per-round ratios, p25 {(ratios[rounds / 4] - 1) * 100:F1}%, p75 {(ratios[rounds * 3 / 4] - 1) * 100:F1}%)");
        Console.WriteLine($"allocated   {allocated} B over {2L * rounds * callsPerRound} calls");
    }

    private static double TimeRound(Action call, int calls)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            call();
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
    }
}
