using Spectre.Console;

return await Inference.Cli.CliApp.RunAsync(args, AnsiConsole.Console);
