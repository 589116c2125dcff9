using System.CommandLine;
using System.CommandLine.Invocation;
using Inference.LoadGenerator.Output;
using Inference.LoadGenerator.Running;
using Spectre.Console;

namespace Inference.LoadGenerator.Cli;

/// <summary>The generator as a program: parse, check, run the levels, print and write the report.</summary>
internal static class LoadApp
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        var root = new LoadCommand().CreateRoot((values, token) => RunLoadAsync(values, console, token));
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }

            console.MarkupLine("run with --help for the options");
            return ExitCodes.UsageError;
        }

        var writer = new ConsoleWriter(console);
        // Ctrl+C ends the current level early; the report is still printed (and the JSON written).
        return await parse.InvokeAsync(new InvocationConfiguration { Output = writer, Error = writer, ProcessTerminationTimeout = TimeSpan.FromSeconds(15) }, cancellationToken);
    }

    private static async Task<int> RunLoadAsync(CommandLineValues values, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var options = OptionsReader.Read(values, errors);
        if (options is null)
        {
            foreach (var error in errors)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error}");
            }

            return ExitCodes.UsageError;
        }

        var started = DateTimeOffset.UtcNow;
        IReadOnlyList<LevelResult> levels;
        try
        {
            levels = await LoadTest.RunAsync(options, level => Progress(console, options, level), cancellationToken);
        }
        catch (LoadTestException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.UsageError;
        }

        var report = ReportBuilder.Run(options, started, levels);
        ConsoleReport.Write(console, report);
        if (options.JsonPath is { } path)
        {
            JsonReport.Write(report, path);
            console.MarkupLineInterpolated($"figures written to {path}");
        }

        return report.Levels.Any(l => l.Requests == 0) ? ExitCodes.NoAnswers : ExitCodes.Ok;
    }

    private static void Progress(IAnsiConsole console, LoadOptions options, LevelResult result)
    {
        if (!options.IsSweep)
        {
            return;
        }

        var level = ReportBuilder.Level(result);
        console.MarkupLineInterpolated($"[grey]concurrency {level.Concurrency}: {level.Throughput:0} req/s, p99 {level.Latency.P99Us:0} µs, {level.Requests} answers, {level.TransportErrors.Total} errors[/]");
    }
}
