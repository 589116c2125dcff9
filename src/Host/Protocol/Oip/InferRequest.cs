namespace Inference.Host.Protocol.Oip;

/// <summary>A decoded infer request. It owns the pooled buffers its inputs were decoded into.</summary>
public sealed class InferRequest : IDisposable
{
    public string? Id { get; init; }

    public IReadOnlyDictionary<string, object?> Parameters { get; init; } = new Dictionary<string, object?>();

    public required IReadOnlyList<InferInput> Inputs { get; init; }

    /// <summary>The outputs asked for, in order; null means all of the model's outputs.</summary>
    public IReadOnlyList<RequestedOutput>? Outputs { get; init; }

    /// <summary>The request-level binary_data_output parameter.</summary>
    public bool BinaryDataOutput { get; init; }

    public void Dispose()
    {
        foreach (var input in Inputs)
        {
            input.Owner?.Dispose();
        }
    }
}
