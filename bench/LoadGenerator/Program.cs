using Inference.LoadGenerator.Cli;
using Spectre.Console;

var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Piped into a file or a script: no terminal width to fit, and wrapped table rows would be unreadable.
    console.Profile.Width = 240;
    console.Profile.Capabilities.Ansi = false;
    console.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
}

return await LoadApp.RunAsync(args, console);
