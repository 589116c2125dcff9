using System.CommandLine;
using Inference.Packaging.Archive;
using Spectre.Console;

namespace Inference.Cli.Commands;

/// <summary>
/// <c>inference pack [folder] [-o dir] [--no-build]</c>: validates the manifest, builds the sources,
/// checks the files it names, then writes <c>&lt;service&gt;-&lt;version&gt;.tar.gz</c> and its .md5.
/// </summary>
internal static class PackCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The plugin folder (with manifest.yaml)", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "Where to write the package (default: the plugin folder)" };
        var noBuild = new Option<bool>("--no-build") { Description = "Pack lib/ as it is; do not build src/" };
        var command = new Command("pack", "Validate, build and pack a plugin into <service>-<version>.tar.gz with its .md5") { folder, output, noBuild };
        command.SetAction((parse, cancellationToken) => RunAsync(console, parse.GetValue(folder)!.FullName, parse.GetValue(output)?.FullName, !parse.GetValue(noBuild), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IAnsiConsole console, string folder, string? output, bool build, CancellationToken cancellationToken)
    {
        var (manifest, exitCode) = await PluginFolder.PrepareAsync(console, folder, build, cancellationToken);
        if (manifest is null)
        {
            return exitCode;
        }

        var outputFolder = output ?? folder;
        Directory.CreateDirectory(outputFolder);
        var packagePath = Path.Combine(outputFolder, $"{manifest.Service.Id}-{manifest.Service.Version}.tar.gz");
        PackageWriteResult result;
        try
        {
            var total = PackageWriter.ListFiles(folder).Sum(f => new FileInfo(Path.Combine(folder, f)).Length);
            result = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                .StartAsync(context =>
                {
                    var task = context.AddTask("Packing", maxValue: Math.Max(1, total));
                    var progress = new Progress<long>(written => task.Value = written);
                    return Task.Run(() => PackageWriter.Write(folder, packagePath, progress: progress, cancellationToken: cancellationToken), cancellationToken);
                });
        }
        catch (PackageException e)
        {
            return Report.Error(console, e.Message, ExitCodes.PluginInvalid, "packages hold plain files with portable names, within the installer's limits: change or remove what is named");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Report.Error(console, $"could not write the package: {e.Message}", ExitCodes.PluginInvalid);
        }

        Report.Ok(console, $"packed {result.PackagePath}");
        console.MarkupLine($"  md5 {result.Digest} ({Path.GetFileName(result.SidecarPath)}), {result.FileCount} files, {Size(result.ContentBytes)} → {Size(result.PackageBytes)}");
        return ExitCodes.Ok;
    }

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MiB",
    };
}
