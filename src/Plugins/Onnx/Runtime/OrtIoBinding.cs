using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;

namespace Inference.Onnx.Runtime;

/// <summary>
/// Binds inputs and outputs to a session once, so repeated runs pass no names or values (and on a
/// GPU, so outputs can stay on the device). One binding per concurrent caller.
/// </summary>
/// <remarks>Bound values must outlive the binding's use: the binding does not own them.</remarks>
public sealed unsafe class OrtIoBinding : IDisposable
{
    private readonly InferenceSession session;

    internal OrtIoBinding(InferenceSession session)
    {
        this.session = session;
        Handle = new OrtIoBindingHandle();
        nint created;
        OrtStatus.Check(OrtLibrary.Api.CreateIoBinding(session.Handle.Pointer, &created));
        Handle.Attach(created);
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

    public void ClearInputs() => OrtLibrary.Api.ClearBoundInputs(Handle.Pointer);

    public void ClearOutputs() => OrtLibrary.Api.ClearBoundOutputs(Handle.Pointer);

    public void Dispose() => Handle.Dispose();
}
