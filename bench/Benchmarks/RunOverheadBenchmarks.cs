using BenchmarkDotNet.Attributes;
using Inference.Onnx.Authoring;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Benchmarks;

/// <summary>
/// The binding's managed overhead per Run against the raw C-API floor, in the same process and run:
/// a 3x4x5 FP32 Add with inputs and the output pre-allocated and reused (the reference fact sheet's
/// "inputs and pre-allocated output reused" variant). Target: within 5% of the floor, 0 B per call.
/// The floor calls the same function pointer with the same native arguments, prepared once.
/// </summary>
[MemoryDiagnoser]
[InProcess] // floor and binding in one process: ORT's own time varies more between processes than our overhead
public unsafe class RunOverheadBenchmarks
{
    private readonly int[] inputIndices = [0, 1];
    private readonly int[] outputIndices = [0];
    private InferenceSession session = null!;
    private OrtValue a = null!;
    private OrtValue b = null!;
    private OrtValue[] inputs = null!;
    private OrtValue?[] outputs = null!;
    private OrtRunOptions runOptions = null!;
    private nint* rawInputNames;
    private nint* rawInputs;
    private nint* rawOutputNames;
    private nint* rawOutputs;

    [GlobalSetup]
    public void Setup()
    {
        var model = new OnnxGraphBuilder("add")
            .Input("a", TensorElementType.Float, 3, 4, 5)
            .Input("b", TensorElementType.Float, 3, 4, 5)
            .Output("c", TensorElementType.Float, 3, 4, 5)
            .Node("Add", ["a", "b"], ["c"])
            .Build();
        session = InferenceSession.Create(BenchmarkOrt.Environment, model, BenchmarkOrt.SessionOptions);
        var data = GC.AllocateArray<float>(60, pinned: true);
        a = OrtValue.CreateTensor<float>(TensorElementType.Float, [3, 4, 5], data);
        b = OrtValue.CreateTensor<float>(TensorElementType.Float, [3, 4, 5], GC.AllocateArray<float>(60, pinned: true));
        var c = OrtValue.CreateTensor<float>(TensorElementType.Float, [3, 4, 5], GC.AllocateArray<float>(60, pinned: true));
        inputs = [a, b];
        outputs = [c];
        runOptions = new OrtRunOptions();

        rawInputNames = (nint*)System.Runtime.InteropServices.NativeMemory.Alloc(2, (nuint)sizeof(nint));
        rawInputs = (nint*)System.Runtime.InteropServices.NativeMemory.Alloc(2, (nuint)sizeof(nint));
        rawOutputNames = (nint*)System.Runtime.InteropServices.NativeMemory.Alloc(1, (nuint)sizeof(nint));
        rawOutputs = (nint*)System.Runtime.InteropServices.NativeMemory.Alloc(1, (nuint)sizeof(nint));
        rawInputNames[0] = session.InputNamePointer(0);
        rawInputNames[1] = session.InputNamePointer(1);
        rawOutputNames[0] = session.OutputNamePointer(0);
        rawInputs[0] = a.Handle.Pointer;
        rawInputs[1] = b.Handle.Pointer;
        rawOutputs[0] = c.Handle.Pointer;
    }

    /// <summary>The floor: OrtApi::Run called straight through the function pointer, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public void RawCApi()
    {
        var status = OrtLibrary.Api.Run(session.Handle.Pointer, 0, rawInputNames, rawInputs, 2, rawOutputNames, 1, rawOutputs);
        if (status != 0)
        {
            throw new InvalidOperationException("run failed");
        }
    }

    [Benchmark]
    public void Binding() => session.Run(inputIndices, inputs, outputIndices, outputs);

    [Benchmark]
    public void BindingWithRunOptions() => session.Run(inputIndices, inputs, outputIndices, outputs, runOptions);

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var v in inputs.Concat(outputs))
        {
            v?.Dispose();
        }

        runOptions.Dispose();
        session.Dispose();
        System.Runtime.InteropServices.NativeMemory.Free(rawInputNames);
        System.Runtime.InteropServices.NativeMemory.Free(rawInputs);
        System.Runtime.InteropServices.NativeMemory.Free(rawOutputNames);
        System.Runtime.InteropServices.NativeMemory.Free(rawOutputs);
    }
}
