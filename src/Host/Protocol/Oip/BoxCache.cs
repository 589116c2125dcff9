namespace Inference.Host.Protocol.Oip;

/// <summary>
/// Boxed parameter values a pooled request hands out again when the value repeats (binary_data_size
/// is the same from one request to the next). Boxes are never changed once made, so sharing them
/// across requests shows nothing of one request to another.
/// </summary>
internal sealed class BoxCache
{
    private const int Capacity = 8;

    private static readonly object True = true;
    private static readonly object False = false;

    private readonly object?[] longs = new object?[Capacity];
    private int nextToReplace;

    public static object Of(bool value) => value ? True : False;

    public object Of(long value)
    {
        foreach (var box in longs)
        {
            if (box is long l && l == value)
            {
                return box;
            }
        }

        object made = value;
        longs[nextToReplace] = made;
        nextToReplace = (nextToReplace + 1) % Capacity;
        return made;
    }
}
