namespace Inference.Onnx.Tensors;

/// <summary>Shape arithmetic shared by the codecs and validation.</summary>
public static class TensorShape
{
    /// <summary>Product of the dimensions (1 for a scalar); -1 when a dimension is negative or it overflows.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                return -1;
            }

            try
            {
                count = checked(count * d);
            }
            catch (OverflowException)
            {
                return -1;
            }
        }

        return count;
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    public static string Format(IReadOnlyList<long> shape) => "[" + string.Join(",", shape) + "]";
}
