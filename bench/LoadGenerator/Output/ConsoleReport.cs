using System.Globalization;
using Spectre.Console;

namespace Inference.LoadGenerator.Output;

/// <summary>The report as tables: one row per concurrency level, then the health probe and memory if asked for.</summary>
internal static class ConsoleReport
{
    public static void Write(IAnsiConsole console, RunReport report)
    {
        console.MarkupLine($"[bold]{Markup.Escape(report.Method)} {Markup.Escape(report.Url)}[/]  body: {Markup.Escape(report.Body)} ({report.BodyBytes} B), client: {report.Client}, warm-up {report.WarmupSeconds:0.###} s, {report.DurationSeconds:0.###} s per level");

        // Markdown borders: the table pastes into bench/README.md as it is.
        var table = new Table().Border(TableBorder.Markdown);
        table.AddColumns("conc", "req/s", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs", "200", "429", "408", "5xx", "other", "errors", "client µs/req");
        foreach (var column in table.Columns)
        {
            column.RightAligned();
        }

        foreach (var level in report.Levels)
        {
            var latency = level.Latency;
            table.AddRow(
                Count(level.Concurrency) + (level.Interrupted ? "*" : ""),
                Number(level.Throughput),
                Number(latency.P50Us),
                Number(latency.P90Us),
                Number(latency.P99Us),
                Number(latency.P999Us),
                Number(latency.MaxUs),
                Count(level.Status200),
                Count(level.Status429),
                Count(level.Status408),
                Count(level.Status5xx),
                Count(level.StatusOther),
                level.TransportErrors.Total == 0 ? "0" : $"[red]{Count(level.TransportErrors.Total)}[/]",
                level.ClientCpuUsPerRequest.ToString("0.0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        if (report.Levels.Any(l => l.Interrupted))
        {
            console.MarkupLine("[yellow]* interrupted: the window is shorter than asked[/]");
        }

        foreach (var level in report.Levels.Where(l => l.TransportErrors.Total > 0))
        {
            console.MarkupLine($"concurrency {level.Concurrency}, transport errors: {Errors(level.TransportErrors)}");
        }

        foreach (var level in report.Levels)
        {
            var other = level.Status.Where(s => s.Key is not ("200" or "429" or "408") && s.Key[0] != '5').Select(s => $"{s.Key} ×{s.Value}").ToList();
            if (other.Count > 0)
            {
                console.MarkupLine($"concurrency {level.Concurrency}, other statuses: {string.Join(", ", other)}");
            }
        }

        WriteHealth(console, report);
        WriteMemory(console, report);
    }

    private static void WriteHealth(IAnsiConsole console, RunReport report)
    {
        if (report.Levels.All(l => l.Health is null))
        {
            return;
        }

        console.MarkupLine($"health probe: GET {Markup.Escape(report.HealthUrl ?? "")} every {report.HealthIntervalMs:0.#} ms on its own connection");
        var table = new Table().Border(TableBorder.Markdown);
        table.AddColumns("conc", "probes", "failures", "p50 µs", "p99 µs", "max µs");
        foreach (var level in report.Levels.Where(l => l.Health is not null))
        {
            var health = level.Health!;
            table.AddRow(Count(level.Concurrency), Count(health.Requests), Count(health.Failures), Number(health.P50Us), Number(health.P99Us), Number(health.MaxUs));
        }

        console.Write(table);
    }

    private static void WriteMemory(IAnsiConsole console, RunReport report)
    {
        if (report.Levels.All(l => l.Memory is null))
        {
            return;
        }

        console.MarkupLine($"server resident memory (VmRSS), pid {report.Pid}: before the warm-up, peak during the level, after the settle period");
        var table = new Table().Border(TableBorder.Markdown);
        table.AddColumns("conc", "start MiB", "peak MiB", "after settle MiB", "settle s");
        foreach (var level in report.Levels.Where(l => l.Memory is not null))
        {
            var memory = level.Memory!;
            table.AddRow(
                Count(level.Concurrency),
                Mib(memory.StartKib),
                Mib(memory.PeakKib),
                memory.ProcessLost ? "[red]process gone[/]" : Mib(memory.AfterKib),
                memory.SettleSeconds.ToString("0.#", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    private static string Number(double value) => value.ToString(value >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Errors(TransportReport errors)
    {
        var parts = new[] { ("connect", errors.Connect), ("timeout", errors.Timeout), ("closed", errors.Closed), ("protocol", errors.Protocol) }
            .Where(p => p.Item2 > 0)
            .Select(p => $"{p.Item1} {Count(p.Item2)}");
        return string.Join(", ", parts);
    }

    private static string Mib(long? kib) => kib is { } value ? (value / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
