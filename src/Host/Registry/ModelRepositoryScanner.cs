using System.Globalization;
using System.Text.RegularExpressions;

namespace Inference.Host.Registry;

/// <summary>
/// Finds models in a repository folder laid out as <c>DIR/&lt;name&gt;/&lt;version&gt;/model.onnx</c>
/// (numeric versions) or <c>DIR/&lt;name&gt;.onnx</c> (version 1). Anything that looks like a model
/// but is not usable is returned with its problem, so it is reported rather than silently skipped.
/// </summary>
public static partial class ModelRepositoryScanner
{
    public const string ModelFileName = "model.onnx";

    public static IReadOnlyList<ModelSource> Scan(string repository)
    {
        if (!Directory.Exists(repository))
        {
            throw new DirectoryNotFoundException($"model repository not found: {Path.GetFullPath(repository)}");
        }

        var sources = new List<ModelSource>();
        foreach (var file in Directory.EnumerateFiles(repository, "*.onnx").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(file);
            sources.Add(new ModelSource(name, 1, file, ValidName(name) ? null : NameProblem(name)));
        }

        foreach (var dir in Directory.EnumerateDirectories(repository).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.'))
            {
                continue;
            }

            var versions = Directory.EnumerateDirectories(dir).Where(v => !Path.GetFileName(v).StartsWith('.')).ToList();
            if (versions.Count == 0)
            {
                sources.Add(new ModelSource(name, 0, dir, $"no version folders in {dir} (expected {name}/<version>/{ModelFileName})"));
                continue;
            }

            foreach (var versionDir in versions.OrderBy(v => v.Length).ThenBy(v => v, StringComparer.Ordinal))
            {
                var versionText = Path.GetFileName(versionDir);
                var path = Path.Combine(versionDir, ModelFileName);
                if (!long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
                {
                    sources.Add(new ModelSource(name, 0, versionDir, $"version folder '{versionText}' is not a positive integer"));
                }
                else if (!ValidName(name))
                {
                    sources.Add(new ModelSource(name, version, path, NameProblem(name)));
                }
                else if (!File.Exists(path))
                {
                    sources.Add(new ModelSource(name, version, path, $"{path} is missing"));
                }
                else
                {
                    sources.Add(new ModelSource(name, version, path));
                }
            }
        }

        return MarkDuplicates(sources);
    }

    /// <summary>
    /// Two sources for one name and version (<c>m.onnx</c> beside <c>m/1/</c>, or folders <c>1</c> and
    /// <c>01</c>) cannot both be served: the first is kept and each later one is reported.
    /// </summary>
    private static List<ModelSource> MarkDuplicates(List<ModelSource> sources)
    {
        var first = new Dictionary<(string, long), ModelSource>();
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            if (source.Problem is not null || source.Version < 1)
            {
                continue;
            }

            if (first.TryGetValue((source.Name, source.Version), out var kept))
            {
                sources[i] = source with { Problem = $"{source.Path} duplicates {kept.Path} (model '{source.Name}' version {source.Version}); only the first is served" };
            }
            else
            {
                first[(source.Name, source.Version)] = source;
            }
        }

        return sources;
    }

    public static bool ValidName(string name) => NamePattern().IsMatch(name);

    private static string NameProblem(string name) =>
        $"model name '{name}' must be 1-128 letters, digits, '_', '-' or '.', starting with a letter or digit";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex NamePattern();
}
