using System.Text;
using Spectre.Console;

namespace Inference.LoadGenerator.Cli;

/// <summary>Routes System.CommandLine's help to the same console as the report, so tests can read both.</summary>
internal sealed class ConsoleWriter(IAnsiConsole console) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => console.Write(new Text(value.ToString()));

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            console.Write(new Text(value));
        }
    }

    public override void WriteLine(string? value) => Write(value + "\n");
}
