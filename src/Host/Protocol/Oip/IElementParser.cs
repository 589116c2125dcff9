using System.Text.Json;

namespace Inference.Host.Protocol.Oip;

/// <summary>
/// Reads one JSON token as one tensor element. Implemented by structs so that the generic decode
/// loop is specialized per element type and the parse inlines.
/// </summary>
internal interface IElementParser<T>
    where T : unmanaged
{
    static abstract bool TryParse(ref Utf8JsonReader reader, out T value);
}
