namespace Inference.Cli.Scaffolding;

/// <summary>The scaffold templates embedded in the tool (Templates/&lt;kind&gt;/...), with their placeholders filled in.</summary>
internal static class TemplateFiles
{
    public static string Read(string name, IReadOnlyDictionary<string, string> values)
    {
        using var stream = typeof(TemplateFiles).Assembly.GetManifestResourceStream("Templates/" + name)
            ?? throw new InvalidOperationException($"the tool is missing its template '{name}'");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        foreach (var (placeholder, value) in values)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return text;
    }
}
