namespace Inference.Native;

/// <summary>A plugin call failed: the function, the plugin's code, and its own text for it (wrapperError).</summary>
public sealed class WrapperException(string function, int code, string text)
    : Exception($"{function} failed with plugin error {code}: {text}")
{
    public string Function { get; } = function;

    public int Code { get; } = code;

    public string Text { get; } = text;
}
