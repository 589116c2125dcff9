using Inference.Onnx.Runtime;

namespace Inference.Host.Scheduling;

/// <summary>
/// One ORT session of a model version on one device. Its pool counts the runs in progress in the
/// same word as the retired flag, so that taking a run and retiring the instance cannot both win.
/// </summary>
public sealed class ModelInstance : IDisposable
{
    /// <summary>Runs at once of an instance that has no limit (the shared default instance).</summary>
    public const int Unlimited = 1 << 29;

    private const int RetiredFlag = 1 << 30;
    private const int RunningMask = RetiredFlag - 1;

    private readonly IInstanceRunner runner;
    private int state;
    private long runs;
    private TaskCompletionSource? drained;

    /// <summary>An instance that runs plainly, or through an IoBinding when it really runs on CUDA.</summary>
    public ModelInstance(InferenceSession session, InstanceDevice device)
        : this(session, device, IoBindingMode.Auto)
    {
    }

    /// <summary>An instance whose runs go through an IoBinding as <paramref name="ioBinding"/> says (outputs in host memory).</summary>
    public ModelInstance(InferenceSession session, InstanceDevice device, IoBindingMode ioBinding)
    {
        Session = session;
        Device = device;
        runner = InstanceRunners.Create(session, device, ioBinding);
    }

    /// <summary>Number within its pool, for logs and statistics.</summary>
    public int Id { get; internal set; }

    public InferenceSession Session { get; }

    /// <summary>The device asked for; <see cref="Provider"/> says where it really runs (CPU when CUDA fell back).</summary>
    public InstanceDevice Device { get; }

    public ExecutionProviderSelection Provider => Session.Provider;

    /// <summary>Whether runs go through an ORT IoBinding (<c>Instances:IoBinding</c>, and where the session really runs).</summary>
    public bool UsesIoBinding => runner is IoBindingRunner;

    /// <summary>Where bound runs leave their outputs ("Cpu" or "CudaPinned"); null for plain runs.</summary>
    public string? OutputMemory => runner.OutputMemory;

    /// <summary>Native IoBindings of this instance alive now (at most one per run in progress, plus a few pooled).</summary>
    public int LiveBindings => runner.LiveBindings;

    /// <summary>Runs in progress on this instance.</summary>
    public int Running => Volatile.Read(ref state) & RunningMask;

    /// <summary>Runs this instance has started.</summary>
    public long Runs => Volatile.Read(ref runs);

    /// <summary>Taken out of its pool's rotation: starts nothing new.</summary>
    public bool IsRetired => (Volatile.Read(ref state) & RetiredFlag) != 0;

    /// <summary>
    /// Runs on this instance's session, plainly or through one of its IoBindings; the contract is
    /// <see cref="InferenceSession.Run(ReadOnlySpan{int}, ReadOnlySpan{OrtValue}, ReadOnlySpan{int}, Span{OrtValue?}, OrtRunOptions?)"/>'s
    /// (terminating <paramref name="runOptions"/> cancels the run either way).
    /// </summary>
    public void Run(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtValue> inputs, ReadOnlySpan<int> outputIndices, Span<OrtValue?> outputs, OrtRunOptions runOptions) =>
        runner.Run(inputIndices, inputs, outputIndices, outputs, runOptions);

    internal bool TryEnter(int capacity)
    {
        while (true)
        {
            var current = Volatile.Read(ref state);
            if ((current & RetiredFlag) != 0 || (current & RunningMask) >= capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref state, current + 1, current) == current)
            {
                Interlocked.Increment(ref runs);
                return true;
            }
        }
    }

    internal void Exit()
    {
        if (Interlocked.Decrement(ref state) == RetiredFlag)
        {
            drained!.TrySetResult();
        }
    }

    /// <summary>Stops new runs; the task completes when the last run in progress has exited.</summary>
    internal Task Retire()
    {
        // Made before the flag is set, so an Exit that sees the flag sees it too.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref drained, done, null) is { } already)
        {
            return already.Task;
        }

        if ((Interlocked.Or(ref state, RetiredFlag) & RunningMask) == 0)
        {
            done.TrySetResult();
        }

        return done.Task;
    }

    public void Dispose()
    {
        // Pooled bindings first: each holds a reference on the native session.
        runner.Dispose();
        Session.Dispose();
    }
}
