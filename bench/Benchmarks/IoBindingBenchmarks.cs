using BenchmarkDotNet.Attributes;
using Inference.Host.Scheduling;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Benchmarks;

/// <summary>
/// An instance's two run strategies on the CPU, for the sample MLP (256-512-512-10, softmax and
/// arg-max outputs): a plain Run (ORT allocates the outputs) against a run through the instance's
/// pooled IoBinding (inputs bound, outputs bound to CPU memory, binding cleared after the run), each
/// releasing its outputs as the host does after writing the response. On the CPU the binding can
/// only cost; what it saves (copies to and from a GPU) needs a GPU to measure.
/// </summary>
[MemoryDiagnoser]
[InProcess] // both strategies in one process: ORT's own time varies more between processes than the difference
public class IoBindingBenchmarks
{
    private readonly int[] inputIndices = [0];
    private readonly int[] outputIndices = [0, 1];
    private readonly OrtValue?[] outputs = new OrtValue?[2];
    private ModelInstance plain = null!;
    private ModelInstance bound = null!;
    private OrtValue input = null!;
    private OrtValue[] inputs = null!;
    private OrtRunOptions runOptions = null!;

    [Params(1, 8)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = SampleModels.MlpClassifier();
        plain = new ModelInstance(InferenceSession.Create(BenchmarkOrt.Environment, model, BenchmarkOrt.SessionOptions), InstanceDevice.Cpu, IoBindingMode.Off);
        bound = new ModelInstance(InferenceSession.Create(BenchmarkOrt.Environment, model, BenchmarkOrt.SessionOptions), InstanceDevice.Cpu, IoBindingMode.On);
        var data = GC.AllocateArray<float>(Rows * 256, pinned: true);
        var random = new Random(5);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble();
        }

        input = OrtValue.CreateTensor<float>(TensorElementType.Float, [Rows, 256], data);
        inputs = [input];
        runOptions = new OrtRunOptions();
    }

    [Benchmark(Baseline = true)]
    public void PlainRun() => RunOn(plain);

    [Benchmark]
    public void IoBindingRun() => RunOn(bound);

    [GlobalCleanup]
    public void Cleanup()
    {
        input.Dispose();
        runOptions.Dispose();
        plain.Dispose();
        bound.Dispose();
    }

    private void RunOn(ModelInstance instance)
    {
        instance.Run(inputIndices, inputs, outputIndices, outputs, runOptions);
        for (var i = 0; i < outputs.Length; i++)
        {
            outputs[i]!.Dispose();
            outputs[i] = null;
        }
    }
}
