using Inference.Cli.Building;
using Inference.Packaging.Manifest;
using Spectre.Console;

namespace Inference.Cli;

/// <summary>
/// The steps every command takes on a plugin's source folder: find and validate its manifest (all
/// problems, each with its path and line), build its sources unless told not to, and check that every
/// file the manifest names is there. Prints what is wrong and what to change.
/// </summary>
internal static class PluginFolder
{
    /// <summary>The manifest when the folder is ready to pack or load; otherwise null and the exit code.</summary>
    public static async Task<(PluginManifest? Manifest, int ExitCode)> PrepareAsync(IAnsiConsole console, string folder, bool build, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return (null, Report.Error(console, $"{folder} is not a folder", ExitCodes.UsageError, "give the plugin's folder (the one with manifest.yaml), or a <service>-<version>.tar.gz package"));
        }

        var manifestPath = ManifestReader.Find(folder);
        if (manifestPath is null)
        {
            return (null, Report.Error(console, $"no manifest.yaml (or .yml, .json) in {folder}", ExitCodes.PluginInvalid, "run `inference new <kind> <service>` to start a plugin, or point at the folder that holds the manifest"));
        }

        var read = ManifestReader.ReadFile(manifestPath);
        if (!read.IsValid)
        {
            WriteProblems(console, read.Problems);
            return (null, Report.Error(console, $"{Path.GetFileName(manifestPath)} has {read.Problems.Count} problem(s)", ExitCodes.PluginInvalid, "fix each one above; the JSON Schema is src/Plugins/Packaging/Manifest/manifest.schema.json"));
        }

        var manifest = read.Manifest!;
        if (build && PluginBuilder.Describe(folder) is { } what)
        {
            var result = await console.Status().StartAsync($"Building ({what})…", _ => PluginBuilder.BuildAsync(folder, cancellationToken));
            if (!result.Succeeded)
            {
                console.WriteLine(Tail(result.Output, 40));
                return (null, Report.Error(console, $"the build failed ({result.Description})", ExitCodes.PluginInvalid, "fix the errors above, then run the command again"));
            }

            Report.Ok(console, $"built ({what})");
        }

        var missing = ManifestFiles.FindMissing(manifest, folder);
        if (missing.Count > 0)
        {
            foreach (var problem in missing)
            {
                console.MarkupLine($"  [red]•[/] {Markup.Escape(problem)}");
            }

            var hint = build || PluginBuilder.Describe(folder) is null
                ? "add the files, or correct the paths in the manifest (they are relative to the folder that holds it)"
                : "build the plugin first (leave out --no-build), or correct the paths in the manifest";
            return (null, Report.Error(console, $"{missing.Count} file(s) named by the manifest are missing", ExitCodes.PluginInvalid, hint));
        }

        Report.Ok(console, $"manifest valid: {manifest.Service.Id} {manifest.Service.Version} ({manifest.Engine.Kind.ToString().ToLowerInvariant()}, {manifest.Tests.Count} test case(s))");
        return (manifest, ExitCodes.Ok);
    }

    /// <summary>Every manifest problem, with its path and line, as one table.</summary>
    public static void WriteProblems(IAnsiConsole console, IReadOnlyList<ManifestProblem> problems)
    {
        var table = new Table().AddColumn("Where").AddColumn("Line").AddColumn("Problem");
        foreach (var problem in problems)
        {
            table.AddRow(Markup.Escape(problem.Path), problem.Line > 0 ? problem.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", Markup.Escape(problem.Message));
        }

        console.Write(table);
    }

    private static string Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
