namespace Inference.LoadGenerator.Requests;

/// <summary>One request header, as given with <c>-H name:value</c>.</summary>
internal readonly record struct HeaderField(string Name, string Value)
{
    /// <summary>Parses <c>name:value</c> (spaces around the value ignored); null with a reason when it is not one.</summary>
    public static HeaderField? Parse(string text, out string? error)
    {
        error = null;
        var colon = text.IndexOf(':');
        var name = colon > 0 ? text[..colon].Trim() : "";
        if (name.Length == 0 || !name.All(IsTokenChar))
        {
            error = $"header '{text}' is not name:value with a token name (letters, digits, !#$%&'*+-.^_`|~)";
            return null;
        }

        var value = text[(colon + 1)..].Trim();
        if (value.Any(c => c is '\r' or '\n' || c > 0x7e || (c < 0x20 && c != '\t')))
        {
            error = $"header '{name}' has a value with control or non-ASCII characters";
            return null;
        }

        return new HeaderField(name, value);
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
