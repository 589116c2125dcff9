using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inference.LoadGenerator.Output;

/// <summary>The report as JSON (snake_case, microseconds and KiB as the names say), for bench scripts to record.</summary>
internal static class JsonReport
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(RunReport report) => JsonSerializer.Serialize(report, Options);

    public static void Write(RunReport report, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, Serialize(report) + "\n");
    }
}
