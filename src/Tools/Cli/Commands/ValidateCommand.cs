using System.CommandLine;
using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Execution;
using Inference.Host.TestCases;
using Inference.Packaging.Archive;
using Inference.Packaging.Manifest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Inference.Cli.Commands;

/// <summary>
/// <c>inference validate [folder|package.tar.gz]</c>: loads the plugin in this process the way the host
/// does (same engine factory, same ONNX Runtime) and runs the manifest's test cases, printing a
/// pass/fail table. Exit 0 when all pass, 1 when any fails, 2 when the plugin cannot load.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var target = new Argument<string>("plugin") { Description = "The plugin folder (with manifest.yaml) or a <service>-<version>.tar.gz package", DefaultValueFactory = _ => "." };
        var noBuild = new Option<bool>("--no-build") { Description = "Use lib/ as it is; do not build src/" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one test case may take", DefaultValueFactory = _ => 60 };
        var command = new Command("validate", "Run the manifest's test cases against the plugin, in process") { target, noBuild, timeout };
        command.SetAction((parse, cancellationToken) => RunAsync(console, Path.GetFullPath(parse.GetValue(target)!), !parse.GetValue(noBuild), TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IAnsiConsole console, string target, bool build, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? temporary = null;
        try
        {
            string directory;
            PluginManifest? manifest;
            if (File.Exists(target))
            {
                temporary = Directory.CreateTempSubdirectory("inference-validate-").FullName;
                (manifest, directory) = Install(console, target, temporary);
                if (manifest is null)
                {
                    return ExitCodes.PluginInvalid;
                }
            }
            else
            {
                int exitCode;
                (manifest, exitCode) = await PluginFolder.PrepareAsync(console, target, build, cancellationToken);
                if (manifest is null)
                {
                    return exitCode;
                }

                directory = target;
            }

            if (manifest.Tests.Count == 0)
            {
                return Report.Error(console, "the manifest has no test cases, so there is nothing to validate", ExitCodes.TestsFailed, "add some under tests: (parameters, request data by file or text, and what each response segment must equal or contain)");
            }

            return await RunTestsAsync(console, manifest, directory, timeout, cancellationToken);
        }
        finally
        {
            if (temporary is not null)
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static (PluginManifest? Manifest, string Directory) Install(IAnsiConsole console, string package, string root)
    {
        try
        {
            var installed = new PackageInstaller(root).Install(package);
            var read = ManifestReader.ReadFile(installed.ManifestPath);
            if (!read.IsValid)
            {
                PluginFolder.WriteProblems(console, read.Problems);
                Report.Error(console, "the package's manifest is invalid", ExitCodes.PluginInvalid, "fix the manifest in the plugin's folder and pack it again");
                return (null, "");
            }

            Report.Ok(console, $"installed {Path.GetFileName(package)} (MD5 verified)");
            return (read.Manifest, installed.Directory);
        }
        catch (PackageException e)
        {
            Report.Error(console, e.Message, ExitCodes.PluginInvalid, "pack it again with `inference pack`, which writes the .md5 beside the package");
            return (null, "");
        }
    }

    private static async Task<int> RunTestsAsync(IAnsiConsole console, PluginManifest manifest, string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = new OnnxRuntimeOptions();
        // The environment outlives the engine: its sessions are created in it.
        using var environment = OrtEnvironmentFactory.Create(Options.Create(options), NullLoggerFactory.Instance);
        IEngine engine;
        try
        {
            engine = await console.Status().StartAsync("Loading the plugin…", _ => new EngineFactory(environment, options).CreateAsync(manifest, directory, cancellationToken));
        }
        catch (Exception e) when (EngineFactory.IsLoadFailure(e))
        {
            return Report.Error(console, $"the plugin did not load: {e.Message}", ExitCodes.PluginInvalid);
        }

        await using (engine)
        {
            var table = new Table().AddColumn("Test").AddColumn("Result").AddColumn(new TableColumn("Time").RightAligned()).AddColumn("Details");
            var failed = 0;
            foreach (var test in manifest.Tests)
            {
                var outcome = await TestCaseRunner.RunAsync(engine, directory, test, timeout, cancellationToken);
                failed += outcome.Passed ? 0 : 1;
                table.AddRow(
                    Markup.Escape(outcome.Name),
                    outcome.Passed ? "[green]pass[/]" : "[red]FAIL[/]",
                    $"{outcome.Duration.TotalMilliseconds:0.0} ms",
                    Markup.Escape(string.Join("\n", outcome.Failures)));
            }

            console.Write(table);
            var passed = manifest.Tests.Count - failed;
            if (failed > 0)
            {
                return Report.Error(console, $"{failed} of {manifest.Tests.Count} test case(s) failed", ExitCodes.TestsFailed, "the details say what each response was; fix the plugin or the expectation");
            }

            Report.Ok(console, $"{passed} of {manifest.Tests.Count} test case(s) passed");
            return ExitCodes.Ok;
        }
    }
}
