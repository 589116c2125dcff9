using BenchmarkDotNet.Running;
using Inference.Benchmarks;

if (args is ["run-overhead-ab", ..])
{
    RunOverheadComparison.Run();
    return;
}

if (args is ["write-mlp", var path, var widths, .. var rest])
{
    // A bigger sibling of the sample MLP for the batching figure: write-mlp model.onnx 784,2048,2048,10
    var sizes = widths.Split(',').Select(int.Parse).ToArray();
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    File.WriteAllBytes(path, Inference.Onnx.Authoring.SampleModels.Mlp(rest.Length > 0 ? rest[0] : "mlp", sizes));
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
