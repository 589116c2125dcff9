namespace Inference.LoadGenerator.Requests;

/// <summary>An input to generate: <c>NAME:DATATYPE:SHAPE</c>, e.g. <c>INPUT0:FP32:1x16</c> (an empty shape is a scalar).</summary>
internal sealed record TensorSpec(string Name, OipDatatype Datatype, IReadOnlyList<long> Shape)
{
    // Generated bodies are held in memory and sent whole; far beyond any sensible load-test request.
    private const long MaxElements = 64L << 20;

    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => product * dimension);

    public static TensorSpec? Parse(string text, out string? error)
    {
        error = null;
        var parts = text.Split(':');
        if (parts.Length != 3 || parts[0].Length == 0)
        {
            error = $"input '{text}' is not NAME:DATATYPE:SHAPE (e.g. INPUT0:FP32:1x16)";
            return null;
        }

        if (!Enum.TryParse<OipDatatype>(parts[1], ignoreCase: true, out var datatype) || !Enum.IsDefined(datatype) || parts[1].All(char.IsAsciiDigit))
        {
            error = $"input '{text}': unknown datatype '{parts[1]}' (one of {string.Join(", ", Enum.GetNames<OipDatatype>())})";
            return null;
        }

        var shape = new List<long>();
        foreach (var dimension in parts[2].Split(['x', 'X', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(dimension, out var size) || size < 0)
            {
                error = $"input '{text}': shape dimension '{dimension}' is not a whole number >= 0";
                return null;
            }

            shape.Add(size);
        }

        var spec = new TensorSpec(parts[0], datatype, shape);
        if (shape.Any(d => d > MaxElements) || spec.ElementCount > MaxElements)
        {
            error = $"input '{text}' has more than {MaxElements} elements";
            return null;
        }

        return spec;
    }
}
