using Inference.Onnx.Binding;
using Inference.Onnx.Binding.Handles;

namespace Inference.Onnx.Runtime;

/// <summary>
/// Options of one Run; <see cref="Terminate"/> stops the run that uses them. Never share one
/// instance between concurrent runs: terminating it stops all of them.
/// </summary>
public sealed unsafe class OrtRunOptions : IDisposable
{
    private volatile bool terminated;

    public OrtRunOptions()
    {
        Handle = new OrtRunOptionsHandle();
        nint created;
        OrtStatus.Check(OrtLibrary.Api.CreateRunOptions(&created));
        Handle.Attach(created);
    }

    internal OrtRunOptionsHandle Handle { get; }

    public bool IsTerminated => terminated;

    /// <summary>Asks ORT to stop the run in progress (checked between nodes); safe from any thread.</summary>
    public void Terminate()
    {
        terminated = true;
        OrtStatus.Check(OrtLibrary.Api.RunOptionsSetTerminate(Handle.Pointer));
    }

    /// <summary>Makes the options usable for another run after a terminate.</summary>
    public void Reset()
    {
        OrtStatus.Check(OrtLibrary.Api.RunOptionsUnsetTerminate(Handle.Pointer));
        terminated = false;
    }

    public void SetTag(string tag)
    {
        using var utf8 = new NativeUtf8(tag);
        OrtStatus.Check(OrtLibrary.Api.RunOptionsSetRunTag(Handle.Pointer, utf8.Pointer));
    }

    public void Dispose() => Handle.Dispose();
}
