using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Inference.Benchmarks.BenchmarkOrt).Assembly).Run(args);
