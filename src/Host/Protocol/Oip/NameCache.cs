using System.Text.Json;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// The strings of names (tensors, parameter keys) a pooled request has read before, so that a client
/// sending the same names every time costs no string per name. Bounded in count and length: a client
/// sending ever-new or huge names gets fresh strings, and the cache never holds much.
/// </summary>
internal sealed class NameCache
{
    private const int Capacity = 16;
    private const int MaxCachedLength = 128;

    private readonly string?[] names = new string?[Capacity];
    private int count;
    private int nextToReplace;

    /// <summary>The current String or PropertyName token as a string, from the cache when seen before.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        // Escaped text goes the runtime's way, so malformed escapes fail exactly as they always have.
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= MaxCachedLength)
        {
            for (var i = 0; i < count; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    return names[i]!;
                }
            }
        }

        var text = reader.GetString()!;
        if (!reader.ValueIsEscaped && text.Length <= MaxCachedLength)
        {
            if (count < Capacity)
            {
                names[count++] = text;
            }
            else
            {
                names[nextToReplace] = text;
                nextToReplace = (nextToReplace + 1) % Capacity;
            }
        }

        return text;
    }
}
