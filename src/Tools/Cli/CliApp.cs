using System.CommandLine;
using Inference.Cli.Commands;
using Spectre.Console;

namespace Inference.Cli;

/// <summary>The `inference` tool: its commands, wired to one console so tests can read what it prints.</summary>
public static class CliApp
{
    public static RootCommand CreateRoot(IAnsiConsole console) =>
        new("Scaffold, pack, validate and run decoder plugins for the inference host.")
        {
            Subcommands =
            {
                NewCommand.Create(console),
                PackCommand.Create(console),
                ValidateCommand.Create(console),
                RunCommand.Create(console),
            },
        };

    public static Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        var writer = new ConsoleWriter(console);
        return CreateRoot(console).Parse(args).InvokeAsync(new InvocationConfiguration { Output = writer, Error = writer }, cancellationToken);
    }
}
