using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Runtime;

/// <summary>
/// A loaded model. Thread-safe for concurrent <see cref="Run(ReadOnlySpan{int}, ReadOnlySpan{OrtValue}, ReadOnlySpan{int}, Span{OrtValue?}, OrtRunOptions?)"/>
/// calls as long as each call has its own values and its own run options (ORT's rule).
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private readonly OrtSessionHandle handle;

    // Input and output names as NUL-terminated UTF-8 in native memory, made once so that Run
    // marshals nothing. Freed in Dispose, after the session.
    private readonly nint[] inputNames;
    private readonly nint[] outputNames;
    private readonly Dictionary<string, int> inputIndex;
    private readonly Dictionary<string, int> outputIndex;

    private int disposed;

    private InferenceSession(OrtSessionHandle handle, ExecutionProviderSelection provider)
    {
        this.handle = handle;
        Provider = provider;
        Inputs = ReadMetadata(isInput: true);
        Outputs = ReadMetadata(isInput: false);
        inputNames = Inputs.Select(i => Marshal.StringToCoTaskMemUTF8(i.Name)).ToArray();
        outputNames = Outputs.Select(o => Marshal.StringToCoTaskMemUTF8(o.Name)).ToArray();
        handle.FreeWithSession(inputNames);
        handle.FreeWithSession(outputNames);
        inputIndex = Inputs.Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        outputIndex = Outputs.Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        Metadata = ReadModelMetadata();
    }

    public IReadOnlyList<TensorMetadata> Inputs { get; }

    public IReadOnlyList<TensorMetadata> Outputs { get; }

    public ModelMetadata Metadata { get; }

    /// <summary>The execution provider this session runs on (CPU when CUDA fell back).</summary>
    public ExecutionProviderSelection Provider { get; }

    internal OrtSessionHandle Handle => handle;

    public static InferenceSession Create(OrtEnvironment environment, string modelPath, OnnxSessionOptions? options = null)
    {
        // Loading by path (UTF-8 on Linux) lets ORT find weights stored beside the model (external
        // data) and map the file rather than copy it; the existence check keeps the common error ours.
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"model file not found: {modelPath}", modelPath);
        }

        options ??= new OnnxSessionOptions();
        using var sessionOptions = SessionOptionsBuilder.Build(options, environment.AvailableProviders, out var provider);
        using var path = new NativeUtf8(Path.GetFullPath(modelPath));
        var session = new OrtSessionHandle();
        nint created;
        OrtStatus.Check(OrtLibrary.Api.CreateSession(environment.Handle.Pointer, path.Pointer, sessionOptions.Pointer, &created));
        session.Attach(created);
        return new InferenceSession(session, provider);
    }

    public static InferenceSession Create(OrtEnvironment environment, ReadOnlySpan<byte> model, OnnxSessionOptions? options = null)
    {
        options ??= new OnnxSessionOptions();
        using var sessionOptions = SessionOptionsBuilder.Build(options, environment.AvailableProviders, out var provider);
        var session = new OrtSessionHandle();
        fixed (byte* bytes = model)
        {
            nint created;
            OrtStatus.Check(OrtLibrary.Api.CreateSessionFromArray(environment.Handle.Pointer, bytes, (nuint)model.Length, sessionOptions.Pointer, &created));
            session.Attach(created);
        }

        return new InferenceSession(session, provider);
    }

    public int GetInputIndex(string name) =>
        inputIndex.TryGetValue(name, out var index) ? index : -1;

    public int GetOutputIndex(string name) =>
        outputIndex.TryGetValue(name, out var index) ? index : -1;

    /// <summary>
    /// Runs the model. <paramref name="inputIndices"/> and <paramref name="outputIndices"/> select
    /// inputs and outputs by position in <see cref="Inputs"/> and <see cref="Outputs"/>. An entry of
    /// <paramref name="outputs"/> that is set is a pre-allocated output (type and shape must match
    /// exactly); an entry that is null is filled with a value ORT allocates, owned by the caller.
    /// </summary>
    [SkipLocalsInit] // the stack buffers below are written in full before they are read
    public void Run(
        ReadOnlySpan<int> inputIndices,
        ReadOnlySpan<OrtValue> inputs,
        ReadOnlySpan<int> outputIndices,
        Span<OrtValue?> outputs,
        OrtRunOptions? runOptions = null)
    {
        if (inputIndices.Length != inputs.Length)
        {
            throw new ArgumentException($"{inputIndices.Length} input indices for {inputs.Length} inputs");
        }

        if (outputIndices.Length != outputs.Length)
        {
            throw new ArgumentException($"{outputIndices.Length} output indices for {outputs.Length} outputs");
        }

        const int StackLimit = 32;
        var inputCount = inputs.Length;
        var outputCount = outputs.Length;
        Span<nint> inNames = inputCount <= StackLimit ? stackalloc nint[inputCount] : new nint[inputCount];
        Span<nint> inValues = inputCount <= StackLimit ? stackalloc nint[inputCount] : new nint[inputCount];
        Span<nint> outNames = outputCount <= StackLimit ? stackalloc nint[outputCount] : new nint[outputCount];
        Span<nint> outValues = outputCount <= StackLimit ? stackalloc nint[outputCount] : new nint[outputCount];

        for (var i = 0; i < inputCount; i++)
        {
            inNames[i] = inputNames[inputIndices[i]];
            inValues[i] = inputs[i].Handle.Pointer;
        }

        for (var i = 0; i < outputCount; i++)
        {
            outNames[i] = outputNames[outputIndices[i]];
            outValues[i] = outputs[i]?.Handle.Pointer ?? 0;
        }

        var addedRef = false;
        AddRef(ref addedRef);
        try
        {
            fixed (nint* inNamePtr = inNames, inValuePtr = inValues, outNamePtr = outNames, outValuePtr = outValues)
            {
                var status = OrtLibrary.Api.Run(
                    handle.Pointer, runOptions?.Handle.Pointer ?? 0,
                    inNamePtr, inValuePtr, (nuint)inputCount,
                    outNamePtr, (nuint)outputCount, outValuePtr);
                CheckRunStatus(status, runOptions);
            }
        }
        finally
        {
            if (addedRef)
            {
                handle.DangerousRelease();
            }

            // The native call used raw pointers: keep their owners reachable until it returned.
            foreach (var input in inputs)
            {
                GC.KeepAlive(input);
            }

            GC.KeepAlive(runOptions);
        }

        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] ??= OrtValue.FromOwnedPointer(outValues[i]);
        }
    }

    /// <summary>Runs by name: convenient, allocates; for tests, tools and warm-up.</summary>
    public OrtValue[] Run(IReadOnlyDictionary<string, OrtValue> inputs, IReadOnlyList<string>? outputNamesWanted = null, CancellationToken cancellationToken = default)
    {
        var inIdx = new int[inputs.Count];
        var inVals = new OrtValue[inputs.Count];
        var n = 0;
        foreach (var (name, value) in inputs)
        {
            var index = GetInputIndex(name);
            if (index < 0)
            {
                throw new ArgumentException($"model has no input named '{name}'", nameof(inputs));
            }

            inIdx[n] = index;
            inVals[n++] = value;
        }

        var outIdx = (outputNamesWanted ?? Outputs.Select(o => o.Name).ToArray())
            .Select(name => GetOutputIndex(name) is >= 0 and var i ? i : throw new ArgumentException($"model has no output named '{name}'"))
            .ToArray();
        var outVals = new OrtValue?[outIdx.Length];
        using var runOptions = cancellationToken.CanBeCanceled ? new OrtRunOptions() : null;
        using var registration = runOptions is null ? default : cancellationToken.Register(static s => ((OrtRunOptions)s!).Terminate(), runOptions);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Run(inIdx, inVals, outIdx, outVals, runOptions);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the run was terminated", cancellationToken);
        }

        return outVals!;
    }

    /// <summary>An IoBinding for this session; one per concurrent caller.</summary>
    public OrtIoBinding CreateIoBinding()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return new(this);
    }

    /// <summary>
    /// Whether this session has an allocator for <paramref name="memory"/> (ORT's CreateAllocator
    /// succeeds): a CPU session has one for "Cpu"; a CUDA session also registers "Cuda" and
    /// "CudaPinned" ones. Outputs bound to a memory with <see cref="OrtIoBinding.BindOutput(int, OrtMemoryInfo)"/>
    /// are allocated by that allocator, so this tells beforehand whether such a binding can run.
    /// </summary>
    public bool HasAllocatorFor(OrtMemoryInfo memory)
    {
        using var allocator = new OrtAllocatorHandle();
        var added = false;
        AddRef(ref added);
        try
        {
            nint created;
            OrtStatus.Check(OrtLibrary.Api.CreateAllocator(handle.Pointer, memory.Handle.Pointer, &created));
            allocator.Attach(created, handle);
            added = false; // the allocator's handle holds the reference now; disposing it releases both
            return true;
        }
        catch (OrtException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }

            GC.KeepAlive(memory);
        }
    }

    public void RunWithBinding(OrtIoBinding binding, OrtRunOptions? runOptions = null)
    {
        var addedRef = false;
        AddRef(ref addedRef);
        try
        {
            CheckRunStatus(OrtLibrary.Api.RunWithBinding(handle.Pointer, runOptions?.Handle.Pointer ?? 0, binding.Handle.Pointer), runOptions);
        }
        finally
        {
            if (addedRef)
            {
                handle.DangerousRelease();
            }

            GC.KeepAlive(binding);
            GC.KeepAlive(runOptions);
        }
    }

    /// <summary>A failed run whose options were terminated was cancelled, not broken.</summary>
    private static void CheckRunStatus(nint status, OrtRunOptions? runOptions)
    {
        if (status != 0 && runOptions is { IsTerminated: true })
        {
            OrtLibrary.Api.ReleaseStatus(status);
            throw new OperationCanceledException("the run was terminated");
        }

        OrtStatus.Check(status);
    }

    internal nint InputNamePointer(int index) => inputNames[index];

    /// <summary>
    /// A reference on the native session for one call. Checks the disposed flag first: a binding
    /// still holding its own reference keeps the handle open after Dispose, and the session must
    /// refuse runs all the same.
    /// </summary>
    private void AddRef(ref bool added)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        handle.DangerousAddRef(ref added);
    }

    internal nint OutputNamePointer(int index) => outputNames[index];

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // The names must outlive every run and binding still using the session: they are freed when
        // the session handle's last reference goes (the handle's release), not here.
        handle.Dispose();
    }

    private TensorMetadata[] ReadMetadata(bool isInput)
    {
        var api = OrtLibrary.Api;
        nuint count;
        OrtStatus.Check(isInput ? api.SessionGetInputCount(handle.Pointer, &count) : api.SessionGetOutputCount(handle.Pointer, &count));
        var result = new TensorMetadata[(int)count];
        var allocator = OrtAllocator.Default;
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            OrtStatus.Check(isInput
                ? api.SessionGetInputName(handle.Pointer, i, allocator, &rawName)
                : api.SessionGetOutputName(handle.Pointer, i, allocator, &rawName));
            var name = NativeText.Take(rawName, allocator);

            using var typeInfo = new OrtTypeInfoHandle();
            nint info;
            OrtStatus.Check(isInput ? api.SessionGetInputTypeInfo(handle.Pointer, i, &info) : api.SessionGetOutputTypeInfo(handle.Pointer, i, &info));
            typeInfo.Attach(info);

            int onnxType;
            OrtStatus.Check(api.GetOnnxTypeFromTypeInfo(info, &onnxType));
            if ((OnnxValueType)onnxType != OnnxValueType.Tensor)
            {
                result[i] = new TensorMetadata(name, (OnnxValueType)onnxType, TensorElementType.Undefined, [], []);
                continue;
            }

            // Borrowed from the type info: never released on its own.
            nint tensorInfo;
            OrtStatus.Check(api.CastTypeInfoToTensorInfo(info, &tensorInfo));
            int elementType;
            OrtStatus.Check(api.GetTensorElementType(tensorInfo, &elementType));
            var dims = TensorShapeReader.ReadDimensions(tensorInfo);
            var symbolic = TensorShapeReader.ReadSymbolicDimensions(tensorInfo, dims.Length);
            result[i] = new TensorMetadata(name, OnnxValueType.Tensor, (TensorElementType)elementType, dims, symbolic);
        }

        return result;
    }

    private ModelMetadata ReadModelMetadata()
    {
        var api = OrtLibrary.Api;
        var allocator = OrtAllocator.Default;
        using var metadata = new OrtModelMetadataHandle();
        nint created;
        OrtStatus.Check(api.SessionGetModelMetadata(handle.Pointer, &created));
        metadata.Attach(created);
        var m = metadata.Pointer;

        string Read(delegate* unmanaged[Cdecl]<nint, nint, byte**, nint> getter)
        {
            byte* text;
            OrtStatus.Check(getter(m, allocator, &text));
            return NativeText.Take(text, allocator);
        }

        var producer = Read(api.ModelMetadataGetProducerName);
        var graph = Read(api.ModelMetadataGetGraphName);
        var domain = Read(api.ModelMetadataGetDomain);
        var description = Read(api.ModelMetadataGetDescription);
        long version;
        OrtStatus.Check(api.ModelMetadataGetVersion(m, &version));

        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        byte** keys;
        long keyCount;
        OrtStatus.Check(api.ModelMetadataGetCustomMetadataMapKeys(m, allocator, &keys, &keyCount));
        if (keys is not null)
        {
            for (var i = 0; i < keyCount; i++)
            {
                var key = Marshal.PtrToStringUTF8((nint)keys[i]) ?? "";
                byte* value;
                OrtStatus.Check(api.ModelMetadataLookupCustomMetadataMap(m, allocator, keys[i], &value));
                custom[key] = NativeText.Take(value, allocator);
                OrtStatus.Check(api.AllocatorFree(allocator, keys[i]));
            }

            OrtStatus.Check(api.AllocatorFree(allocator, keys));
        }

        return new ModelMetadata(producer, graph, domain, description, version, custom);
    }
}
