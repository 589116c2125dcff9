using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// Runs an instance's requests through ORT IoBindings. A binding is not thread-safe, so each run
/// takes one of its own from a small pool (an exclusive instance never needs more than one; the
/// shared default instance needs one per run in progress) and gives it back empty. The bindings
/// live as long as the instance: no native object is made per request.
/// </summary>
/// <remarks>
/// On a CUDA session ORT copies each input to the device when it is bound (the request buffers are
/// GC-pinned, not CUDA-registered, so that copy is a synchronous one through CUDA's staging) and
/// writes the outputs into <see cref="Memory"/>, host memory the response writer reads in place.
/// </remarks>
internal sealed class IoBindingRunner : IInstanceRunner
{
    /// <summary>Idle bindings kept; after a burst beyond this many runs at once the extras are released as they finish.</summary>
    internal const int MaxIdle = 16;

    private readonly Lock gate = new();
    private readonly Stack<OrtIoBinding> idle = new();
    private readonly InferenceSession session;
    private int live;
    private bool disposed;

    /// <param name="memory">Where outputs go; never disposed here (see <see cref="BoundOutputMemory"/>).</param>
    public IoBindingRunner(InferenceSession session, OrtMemoryInfo memory)
    {
        this.session = session;
        Memory = memory;
    }

    public OrtMemoryInfo Memory { get; }

    public string? OutputMemory => Memory.Name;

    public int LiveBindings => Volatile.Read(ref live);

    public void Run(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtValue> inputs, ReadOnlySpan<int> outputIndices, Span<OrtValue?> outputs, OrtRunOptions runOptions)
    {
        var binding = Rent();
        try
        {
            // Leaves the binding empty whatever happens, so it goes back to the pool as it came.
            binding.Run(inputIndices, inputs, outputIndices, outputs, Memory, runOptions);
        }
        finally
        {
            Return(binding);
        }
    }

    public void Dispose()
    {
        OrtIoBinding[] released;
        lock (gate)
        {
            disposed = true;
            released = idle.ToArray();
            idle.Clear();
        }

        // Bindings in use are released when their runs give them back.
        foreach (var binding in released)
        {
            Release(binding);
        }
    }

    private OrtIoBinding Rent()
    {
        lock (gate)
        {
            if (idle.TryPop(out var pooled))
            {
                return pooled;
            }
        }

        // Throws ObjectDisposedException once the session is closed, as a plain run would.
        var created = session.CreateIoBinding();
        Interlocked.Increment(ref live);
        return created;
    }

    private void Return(OrtIoBinding binding)
    {
        lock (gate)
        {
            if (!disposed && idle.Count < MaxIdle)
            {
                idle.Push(binding);
                return;
            }
        }

        Release(binding);
    }

    private void Release(OrtIoBinding binding)
    {
        binding.Dispose();
        Interlocked.Decrement(ref live);
    }
}
