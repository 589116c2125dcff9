using System.CommandLine;
using System.Globalization;
using Inference.Host;
using Inference.Packaging.Archive;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Inference.Cli.Commands;

/// <summary>
/// <c>inference run [folder|package.tar.gz] [--port 8080]</c>: serves one plugin with the real host, from
/// a throwaway repository holding just its package (a folder is packed first). Stops on Ctrl+C.
/// </summary>
internal static class RunCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var target = new Argument<string>("plugin") { Description = "The plugin folder (with manifest.yaml) or a <service>-<version>.tar.gz package", DefaultValueFactory = _ => "." };
        var port = new Option<int>("--port", "-p") { Description = "HTTP port (0 picks a free one)", DefaultValueFactory = _ => 8080 };
        var address = new Option<string>("--address") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var noBuild = new Option<bool>("--no-build") { Description = "Use lib/ as it is; do not build src/" };
        var command = new Command("run", "Serve one plugin locally with the host") { target, port, address, noBuild };
        command.SetAction((parse, cancellationToken) => RunAsync(console, Path.GetFullPath(parse.GetValue(target)!), parse.GetValue(port), parse.GetValue(address)!, !parse.GetValue(noBuild), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IAnsiConsole console, string target, int port, string address, bool build, CancellationToken cancellationToken)
    {
        var repository = Directory.CreateTempSubdirectory("inference-run-").FullName;
        try
        {
            string service;
            if (File.Exists(target))
            {
                if (!PackageFileName.TryParse(Path.GetFileName(target), out var name))
                {
                    return Report.Error(console, $"{Path.GetFileName(target)} is not named <service>-<MAJOR.MINOR.PATCH>.tar.gz", ExitCodes.UsageError);
                }

                if (!File.Exists(Md5Digest.SidecarPathFor(target)))
                {
                    return Report.Error(console, $"{Path.GetFileName(target)} has no .md5 beside it", ExitCodes.PluginInvalid, "pack it with `inference pack`, which writes the .md5");
                }

                File.Copy(target, Path.Combine(repository, Path.GetFileName(target)));
                File.Copy(Md5Digest.SidecarPathFor(target), Md5Digest.SidecarPathFor(Path.Combine(repository, Path.GetFileName(target))));
                service = name!.Service;
            }
            else
            {
                var packed = await PackCommand.RunAsync(console, target, repository, build, cancellationToken);
                if (packed != ExitCodes.Ok)
                {
                    return packed;
                }

                service = Directory.GetFiles(repository, "*.tar.gz").Select(p => PackageFileName.Parse(Path.GetFileName(p)).Service).Single();
            }

            return await ServeAsync(console, repository, service, port, address, cancellationToken);
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }

    private static async Task<int> ServeAsync(IAnsiConsole console, string repository, string service, int port, string address, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            // The plugin is served on the engine API (HTTP); gRPC serves plain models only, so it takes any free port.
            app = HostApp.Build(["--repository", repository, "--http-port", port.ToString(CultureInfo.InvariantCulture), "--http-address", address, "--grpc-port", "0"]);
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException)
        {
            return Report.Error(console, $"the host did not start: {e.Message}", ExitCodes.UsageError, "pick another --port, or check --address");
        }

        await using (app)
        {
            var httpPort = app.Services.GetRequiredService<Host.Transport.HostEndpoints>().HttpPort;
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => new Uri(a).Port == httpPort);
            var entry = app.Services.GetRequiredService<Host.Engines.EngineRegistry>().All().FirstOrDefault(e => e.Service == service);
            if (entry?.Engine is null)
            {
                await app.StopAsync(CancellationToken.None);
                return Report.Error(console, $"{service} did not load: {entry?.Reason ?? "no such engine"}", ExitCodes.PluginInvalid, "`inference validate` shows more");
            }

            Report.Ok(console, $"serving {service} {entry.Version} at {url}");
            console.MarkupLine($"  POST {Markup.Escape(url)}/v1/engines/{Markup.Escape(service)}   (Ctrl+C stops)");
            // Ctrl+C reaches the host's console lifetime (which stops the app) or our caller's token.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or the caller stopped us: a normal end.
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        }
    }
}
