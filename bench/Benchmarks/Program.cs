using BenchmarkDotNet.Running;
using Inference.Benchmarks;

if (args is ["run-overhead-ab", ..])
{
    RunOverheadComparison.Run();
    return;
}

if (args is ["package-install", ..])
{
    PackageInstallBenchmark.Run();
    return;
}

if (args is ["infer-path-allocations", ..])
{
    InferPathAllocations.Run(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkOrt).Assembly).Run(args);
