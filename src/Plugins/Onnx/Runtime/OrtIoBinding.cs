using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;
using Inference.Onnx.Tensors;

namespace Inference.Onnx.Runtime;

/// <summary>
/// Binds inputs and outputs to a session once, so repeated runs pass no names or values (and on a
/// GPU, so outputs can stay on the device). One binding per concurrent caller.
/// </summary>
/// <remarks>
/// Bound values must outlive the binding's use: the binding does not own them. The binding holds a
/// reference on its session's native handle, so it may be released after the session is disposed.
/// </remarks>
public sealed unsafe class OrtIoBinding : IDisposable
{
    private readonly InferenceSession session;

    internal OrtIoBinding(InferenceSession session)
    {
        this.session = session;
        Handle = new OrtIoBindingHandle();
        var sessionHandle = session.Handle;
        var added = false;
        sessionHandle.DangerousAddRef(ref added); // throws ObjectDisposedException once the session is disposed
        try
        {
            nint created;
            OrtStatus.Check(OrtLibrary.Api.CreateIoBinding(sessionHandle.Pointer, &created));
            Handle.Attach(created, sessionHandle);
            added = false; // the reference is the handle's now, released after the binding
        }
        finally
        {
            if (added)
            {
                sessionHandle.DangerousRelease();
            }
        }
    }

    internal OrtIoBindingHandle Handle { get; }

    public void BindInput(int inputIndex, OrtValue value) =>
        OrtStatus.Check(OrtLibrary.Api.BindInput(Handle.Pointer, (byte*)session.InputNamePointer(inputIndex), value.Handle.Pointer));

    public void BindOutput(int outputIndex, OrtValue value) =>
        OrtStatus.Check(OrtLibrary.Api.BindOutput(Handle.Pointer, (byte*)session.OutputNamePointer(outputIndex), value.Handle.Pointer));

    /// <summary>Lets ORT allocate the output on the device <paramref name="memory"/> describes.</summary>
    public void BindOutput(int outputIndex, OrtMemoryInfo memory) =>
        OrtStatus.Check(OrtLibrary.Api.BindOutputToDevice(Handle.Pointer, (byte*)session.OutputNamePointer(outputIndex), memory.Handle.Pointer));

    /// <summary>The outputs of the last run, in binding order; each returned value is the caller's.</summary>
    public OrtValue[] GetOutputValues()
    {
        var allocator = OrtAllocator.Default;
        nint* values;
        nuint count;
        OrtStatus.Check(OrtLibrary.Api.GetBoundOutputValues(Handle.Pointer, allocator, &values, &count));
        if (values is null)
        {
            return [];
        }

        var result = new OrtValue[(int)count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = OrtValue.FromOwnedPointer(values[i]);
        }

        // The array is ORT's (freed with the allocator); the values in it are now ours.
        OrtStatus.Check(OrtLibrary.Api.AllocatorFree(allocator, values));
        return result;
    }

    /// <summary>
    /// One run through this binding, with <see cref="InferenceSession.Run(ReadOnlySpan{int}, ReadOnlySpan{OrtValue}, ReadOnlySpan{int}, Span{OrtValue?}, OrtRunOptions?)"/>'s
    /// contract: an entry of <paramref name="outputs"/> that is set is a pre-allocated output; a null
    /// one is bound to <paramref name="outputMemory"/> (the CPU when null), allocated there by ORT and handed to the
    /// caller. String outputs always go to the CPU (ORT keeps string tensors nowhere else).
    /// </summary>
    /// <remarks>
    /// The binding is left empty whatever happens: ORT reuses the tensor it allocated for an output
    /// still bound, so a value already handed out would be overwritten by the next run, and a bound
    /// input would keep pointing into a request buffer that went back to its pool.
    /// On a device session, binding an input copies it to the device there and then (ORT's BindInput).
    /// </remarks>
    public void Run(
        ReadOnlySpan<int> inputIndices,
        ReadOnlySpan<OrtValue> inputs,
        ReadOnlySpan<int> outputIndices,
        Span<OrtValue?> outputs,
        OrtMemoryInfo? outputMemory = null,
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

        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                BindInput(inputIndices[i], inputs[i]);
            }

            for (var i = 0; i < outputs.Length; i++)
            {
                var index = outputIndices[i];
                if (outputs[i] is { } preallocated)
                {
                    BindOutput(index, preallocated);
                }
                else
                {
                    BindOutput(index, outputMemory is null || session.Outputs[index].ElementType == TensorElementType.String ? OrtMemoryInfo.Cpu : outputMemory);
                }
            }

            session.RunWithBinding(this, runOptions);
            TakeOutputs(outputs);
        }
        finally
        {
            ClearInputs();
            ClearOutputs();
            GC.KeepAlive(outputMemory);
        }
    }

    public void ClearInputs() => OrtLibrary.Api.ClearBoundInputs(Handle.Pointer);

    public void ClearOutputs() => OrtLibrary.Api.ClearBoundOutputs(Handle.Pointer);

    public void Dispose() => Handle.Dispose();

    /// <summary>Fills the null entries of <paramref name="outputs"/> from the last run (bound in their order), without an array of our own.</summary>
    private void TakeOutputs(Span<OrtValue?> outputs)
    {
        var allocator = OrtAllocator.Default;
        nint* values;
        nuint count;
        OrtStatus.Check(OrtLibrary.Api.GetBoundOutputValues(Handle.Pointer, allocator, &values, &count));
        try
        {
            if ((int)count != outputs.Length)
            {
                for (nuint i = 0; i < count; i++)
                {
                    OrtLibrary.Api.ReleaseValue(values[i]);
                }

                throw new InvalidOperationException($"ORT returned {count} bound outputs for {outputs.Length} bound");
            }

            for (var i = 0; i < outputs.Length; i++)
            {
                if (outputs[i] is null)
                {
                    outputs[i] = OrtValue.FromOwnedPointer(values[i]);
                }
                else
                {
                    // A pre-allocated output comes back as a second value over the caller's tensor: not needed.
                    OrtLibrary.Api.ReleaseValue(values[i]);
                }
            }
        }
        finally
        {
            if (values is not null)
            {
                OrtStatus.Check(OrtLibrary.Api.AllocatorFree(allocator, values));
            }
        }
    }
}
