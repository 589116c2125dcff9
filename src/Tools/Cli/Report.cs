using Spectre.Console;

namespace Inference.Cli;

/// <summary>How the tool tells the author what went wrong: a red line, and what to change.</summary>
internal static class Report
{
    public static int Error(IAnsiConsole console, string message, int exitCode, string? hint = null)
    {
        console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        if (hint is not null)
        {
            console.MarkupLine($"[grey]hint:[/] {Markup.Escape(hint)}");
        }

        return exitCode;
    }

    public static void Ok(IAnsiConsole console, string message) => console.MarkupLine($"[green]✓[/] {Markup.Escape(message)}");
}
