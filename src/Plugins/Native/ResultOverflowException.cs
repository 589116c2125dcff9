namespace Inference.Native;

/// <summary>
/// The plugin yielded results faster than the session's reader took them, past what the session holds
/// (twice its capacity): the session fails rather than buffer without bound.
/// </summary>
public sealed class ResultOverflowException(int held)
    : Exception($"the plugin yielded more results than the session holds ({held}) while its reader was behind")
{
    public int Held { get; } = held;
}
