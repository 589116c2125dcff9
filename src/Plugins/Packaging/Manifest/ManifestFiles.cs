using Inference.Packaging.Archive;

namespace Inference.Packaging.Manifest;

/// <summary>
/// The files a manifest names (the engine's model, assembly or library, test data and expected outputs)
/// checked against a package folder, so that `pack` refuses a package that could never load or test.
/// </summary>
public static class ManifestFiles
{
    /// <summary>Each named file that is missing, as "path in the manifest: what is wrong".</summary>
    public static IReadOnlyList<string> FindMissing(PluginManifest manifest, string packageRoot)
    {
        var problems = new List<string>();
        foreach (var (where, file) in Named(manifest))
        {
            if (!File.Exists(Path.Combine(packageRoot, file)))
            {
                problems.Add($"{where}: '{file}' is not in {packageRoot}");
            }
            else if (PackageWriter.WhyLeftOut(file) is { } reason)
            {
                // There, but the package would not hold it: the plugin would load from the folder and fail once packed.
                problems.Add($"{where}: '{file}' is left out of packages ({reason})");
            }
        }

        return problems;
    }

    private static IEnumerable<(string Where, string File)> Named(PluginManifest manifest)
    {
        var engine = manifest.Engine;
        if (engine.Model is { } model)
        {
            yield return ("engine.model", model);
        }

        if (engine.Assembly is { } assembly)
        {
            yield return ("engine.assembly", assembly);
        }

        if (engine.Library is { } library)
        {
            yield return ("engine.library", library);
        }

        for (var i = 0; i < manifest.Tests.Count; i++)
        {
            var test = manifest.Tests[i];
            foreach (var (segment, data) in test.Request)
            {
                if (data.File is { } file)
                {
                    yield return ($"tests[{i}].request.{segment}.file", file);
                }
            }

            foreach (var (segment, expectation) in test.Expect)
            {
                if (expectation.EqualsFile is { } file)
                {
                    yield return ($"tests[{i}].expect.{segment}.equalsFile", file);
                }
            }
        }
    }
}
