using Inference.Host.Buffers;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// A decoded infer request. It owns the pooled buffers its inputs were decoded into.
/// </summary>
/// <remarks>
/// Pooled with everything it holds (input objects, lists, parameter dictionaries, name strings), so
/// that a steady stream of like requests decodes without allocating. Dispose exactly once; after
/// that the request, its inputs and its lists belong to the next request and must not be read.
/// Requests too large to be worth keeping are left to the GC instead.
/// </remarks>
public sealed class InferRequest : IDisposable
{
    private const int MaxPooledTensors = 64;

    private static readonly ReusePool<InferRequest> Shared = NewPool(64);

    private readonly List<InferInput> inputs = [];
    private readonly List<InferInput> inputObjects = [];
    private readonly List<RequestedOutput> outputs = [];
    private readonly List<RequestedOutput> outputObjects = [];
    private readonly Dictionary<string, object?> parameters = new(StringComparer.Ordinal);
    private ReusePool<InferRequest> home = Shared;
    private bool hasOutputs;
    private int disposed;

    private InferRequest()
    {
    }

    public string? Id { get; internal set; }

    public IReadOnlyDictionary<string, object?> Parameters => parameters;

    public IReadOnlyList<InferInput> Inputs => inputs;

    /// <summary>The outputs asked for, in order; null means all of the model's outputs.</summary>
    public IReadOnlyList<RequestedOutput>? Outputs => hasOutputs ? outputs : null;

    /// <summary>The request-level binary_data_output parameter.</summary>
    public bool BinaryDataOutput { get; internal set; }

    /// <summary>Names read before, for the decoder.</summary>
    internal NameCache Names { get; } = new();

    /// <summary>Boxed parameter values, for the decoder.</summary>
    internal BoxCache Boxes { get; } = new();

    /// <summary>Where the decoder reads one tensor's parameters before checking them.</summary>
    internal Dictionary<string, object?> TensorParameters { get; } = new(StringComparer.Ordinal);

    /// <summary>A pool of requests of its own (tests); the host's requests share one.</summary>
    internal static ReusePool<InferRequest> NewPool(int capacity) => new(static () => new InferRequest(), capacity);

    internal static InferRequest Rent(ReusePool<InferRequest>? pool = null)
    {
        pool ??= Shared;
        var request = pool.Rent();
        request.home = pool;
        Volatile.Write(ref request.disposed, 0);
        return request;
    }

    /// <summary>The request-level parameters, emptied for a new "parameters" object.</summary>
    internal Dictionary<string, object?> StartParameters()
    {
        parameters.Clear();
        return parameters;
    }

    /// <summary>The object the next input will be decoded into; it becomes visible with <see cref="AddInput"/>.</summary>
    internal InferInput NextInput()
    {
        var index = inputs.Count;
        if (index == inputObjects.Count)
        {
            inputObjects.Add(new InferInput());
        }

        return inputObjects[index];
    }

    internal void AddInput(InferInput input) => inputs.Add(input);

    /// <summary>Starts (or, for a repeated "outputs" key, restarts) the list of requested outputs.</summary>
    internal void StartOutputs()
    {
        outputs.Clear();
        hasOutputs = true;
    }

    /// <summary>Appends a requested output, reusing the one at the same position last time when it is equal.</summary>
    internal void AddOutput(string name, bool? binary)
    {
        var index = outputs.Count;
        if (index < outputObjects.Count && outputObjects[index] is var previous && previous.Binary == binary && string.Equals(previous.Name, name, StringComparison.Ordinal))
        {
            outputs.Add(previous);
            return;
        }

        var output = new RequestedOutput(name, binary);
        if (index < outputObjects.Count)
        {
            outputObjects[index] = output;
        }
        else
        {
            outputObjects.Add(output);
        }

        outputs.Add(output);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        var keep = inputObjects.Count <= MaxPooledTensors && outputObjects.Count <= MaxPooledTensors
            && parameters.EnsureCapacity(0) <= MaxPooledTensors && TensorParameters.EnsureCapacity(0) <= MaxPooledTensors;
        foreach (var input in inputObjects)
        {
            input.Clear();
        }

        inputs.Clear();
        outputs.Clear();
        hasOutputs = false;
        parameters.Clear();
        TensorParameters.Clear();
        Id = null;
        BinaryDataOutput = false;
        if (keep)
        {
            home.Return(this);
        }
    }
}
