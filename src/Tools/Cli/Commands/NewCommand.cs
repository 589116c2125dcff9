using System.CommandLine;
using Inference.Cli.Scaffolding;
using Spectre.Console;

namespace Inference.Cli.Commands;

/// <summary><c>inference new &lt;onnx|managed|native&gt; &lt;service&gt; [-o folder]</c>: scaffolds a plugin that builds and passes its test cases.</summary>
internal static class NewCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var kind = new Argument<ScaffoldKind>("kind") { Description = "onnx (no code), managed (.NET) or native (C ABI)" };
        var service = new Argument<string>("service") { Description = "The service id: a letter, then letters, digits or '_'" };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "The new plugin's folder (default: ./<service>)" };
        var command = new Command("new", "Scaffold a plugin that builds and passes its own test cases") { kind, service, output };
        command.SetAction(parse => Run(console, parse.GetValue(kind), parse.GetValue(service)!, parse.GetValue(output)?.FullName));
        return command;
    }

    private static int Run(IAnsiConsole console, ScaffoldKind kind, string service, string? output)
    {
        if (PluginScaffolder.CheckServiceId(service) is { } problem)
        {
            return Report.Error(console, problem, ExitCodes.UsageError, "for example: speech_vad");
        }

        var folder = output ?? Path.GetFullPath(service);
        IReadOnlyList<string> files;
        try
        {
            files = PluginScaffolder.Create(kind, service, folder);
        }
        catch (IOException e)
        {
            return Report.Error(console, e.Message, ExitCodes.UsageError);
        }

        var tree = new Tree(Markup.Escape(folder));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            tree.AddNode(Markup.Escape(file));
        }

        console.Write(tree);
        Report.Ok(console, $"created the {kind.ToString().ToLowerInvariant()} plugin '{service}'");
        console.MarkupLine($"next: [blue]inference validate {Markup.Escape(folder)}[/] runs its test cases; [blue]inference pack {Markup.Escape(folder)}[/] makes {Markup.Escape(service)}-1.0.0.tar.gz");
        return ExitCodes.Ok;
    }
}
