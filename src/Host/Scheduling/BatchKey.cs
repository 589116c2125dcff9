namespace Inference.Host.Scheduling;

/// <summary>
/// What requests must share to be merged: the outputs asked for (in order) and every input's
/// dimensions after the first. Element types need no check: the binder already made them the model's.
/// </summary>
internal sealed class BatchKey : IEquatable<BatchKey>
{
    private readonly int[] outputs;
    private readonly long[][] shapes;
    private readonly int hash;

    /// <param name="outputs">The requested output indices.</param>
    /// <param name="shapes">The inputs' shapes in the session's input order; dimension 0 is ignored.</param>
    public BatchKey(int[] outputs, long[][] shapes)
    {
        this.outputs = outputs;
        this.shapes = shapes;
        var h = new HashCode();
        foreach (var output in outputs)
        {
            h.Add(output);
        }

        foreach (var shape in shapes)
        {
            h.Add(shape.Length);
            for (var d = 1; d < shape.Length; d++)
            {
                h.Add(shape[d]);
            }
        }

        hash = h.ToHashCode();
    }

    public bool Equals(BatchKey? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.hash != hash || !outputs.AsSpan().SequenceEqual(other.outputs) || shapes.Length != other.shapes.Length)
        {
            return false;
        }

        for (var i = 0; i < shapes.Length; i++)
        {
            var (a, b) = (shapes[i], other.shapes[i]);
            if (a.Length != b.Length || (a.Length > 1 && !a.AsSpan(1).SequenceEqual(b.AsSpan(1))))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as BatchKey);

    public override int GetHashCode() => hash;
}
