using Spectre.Console;

namespace Inference.Cli.Tests;

/// <summary>Runs the tool in process on a plain, wide, non-interactive console and keeps what it printed.</summary>
internal sealed class CliRun
{
    private readonly LockedWriter writer = new();

    public CliRun()
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        Console.Profile.Width = 240;
    }

    public IAnsiConsole Console { get; }

    public string Output => writer.Text;

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var run = new CliRun();
        var exitCode = await CliApp.RunAsync(args, run.Console);
        return (exitCode, run.Output);
    }

    public Task<int> StartAsync(CancellationToken cancellationToken, params string[] args) =>
        Task.Run(() => CliApp.RunAsync(args, Console, cancellationToken), CancellationToken.None);

    /// <summary>A writer a test can read while the tool is still writing (the run command serves on).</summary>
    private sealed class LockedWriter : StringWriter
    {
        private readonly Lock gate = new();

        public string Text
        {
            get
            {
                lock (gate)
                {
                    return ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (gate)
            {
                base.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (gate)
            {
                base.Write(buffer, index, count);
            }
        }
    }
}
