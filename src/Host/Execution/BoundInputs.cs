using Inference.Host.Buffers;
using Inference.Host.Scheduling;
using Inference.Onnx.Runtime;

namespace Inference.Host.Execution;

/// <summary>
/// A request's inputs as ORT values, in the session's index order, and the outputs to compute. The
/// values are views over the request's buffers: dispose this before the request. The request's
/// shapes are kept beside them, so that the scheduler need not ask ORT for them.
/// </summary>
/// <remarks>
/// <see cref="InputBinder"/> hands out pooled instances whose arrays are reused by the next request
/// of the same input and output counts: dispose exactly once, and read nothing from it afterwards.
/// Instances made with the constructor are not pooled.
/// </remarks>
public sealed class BoundInputs : IDisposable
{
    private static readonly ReusePool<BoundInputs> Shared = NewPool(64);

    private readonly bool pooled;
    private ReusePool<BoundInputs> home = Shared;
    private int disposed;

    public BoundInputs(int[] inputIndices, OrtValue[] values, int[] outputIndices, bool[] binaryOutputs, long[]?[]? shapes = null)
    {
        InputIndices = inputIndices;
        Values = values;
        OutputIndices = outputIndices;
        BinaryOutputs = binaryOutputs;
        Shapes = shapes ?? new long[]?[values.Length];
    }

    private BoundInputs()
    {
        pooled = true;
        InputIndices = [];
        Values = [];
        OutputIndices = [];
        BinaryOutputs = [];
        Shapes = [];
    }

    public int[] InputIndices { get; private set; }

    public OrtValue[] Values { get; private set; }

    public int[] OutputIndices { get; private set; }

    public bool[] BinaryOutputs { get; private set; }

    /// <summary>Each value's shape, when the binder knew it; a null entry means ask the value.</summary>
    public long[]?[] Shapes { get; private set; }

    /// <summary>When the scheduler took and ran this request (unset until it ran); the statistics split queue and compute with it.</summary>
    public RunTiming Timing { get; internal set; }

    /// <summary>The shape of the value at <paramref name="position"/>.</summary>
    public long[] ShapeAt(int position) => Shapes[position] ?? Values[position].Shape;

    /// <summary>A pooled instance with arrays of these lengths; <see cref="Values"/> entries are null until set.</summary>
    /// <summary>A pool of its own (tests); the host's bound inputs share one.</summary>
    internal static ReusePool<BoundInputs> NewPool(int capacity) => new(static () => new BoundInputs(), capacity);

    internal static BoundInputs Rent(int inputCount, int outputCount, ReusePool<BoundInputs>? pool = null)
    {
        pool ??= Shared;
        var bound = pool.Rent();
        bound.home = pool;
        bound.Timing = default;
        Volatile.Write(ref bound.disposed, 0);
        if (bound.Values.Length != inputCount)
        {
            bound.InputIndices = new int[inputCount];
            bound.Values = new OrtValue[inputCount];
            bound.Shapes = new long[]?[inputCount];
        }

        if (bound.OutputIndices.Length != outputCount)
        {
            bound.OutputIndices = new int[outputCount];
            bound.BinaryOutputs = new bool[outputCount];
        }

        return bound;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        var values = Values;
        for (var i = 0; i < values.Length; i++)
        {
            values[i]?.Dispose();
            if (pooled)
            {
                values[i] = null!;
                Shapes[i] = null;
            }
        }

        if (pooled)
        {
            home.Return(this);
        }
    }
}
