using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Inference.Host.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// The real host started with the given command line (add <c>--http-port 0</c> for a free port), and a
/// client for its address. The gRPC port is a free one unless the command line names one, so that
/// hosts started side by side never fight over the default. Disposing stops it.
/// </summary>
public sealed class StartedHost : IAsyncDisposable
{
    private StartedHost(WebApplication app, Uri baseAddress, Uri grpcAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        GrpcAddress = grpcAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>The gRPC (h2c) port's address, <c>http://127.0.0.1:port</c>.</summary>
    public Uri GrpcAddress { get; }

    public static Task<StartedHost> StartAsync(params string[] args) => StartAsync(null, args);

    /// <summary>The host with services of the test's own (<paramref name="configure"/> runs before the host's registrations; a clock, say).</summary>
    public static async Task<StartedHost> StartAsync(Action<WebApplicationBuilder>? configure, params string[] args)
    {
        if (!args.Any(a => a.StartsWith("--grpc-port", StringComparison.Ordinal) || a.StartsWith("--Host:GrpcPort", StringComparison.Ordinal)))
        {
            args = [.. args, "--grpc-port", "0"];
        }

        var app = HostApp.Build(args, configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var endpoints = app.Services.GetRequiredService<HostEndpoints>();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var http = new Uri(addresses.First(a => new Uri(a).Port == endpoints.HttpPort));
        var grpc = new Uri(addresses.First(a => new Uri(a).Port == endpoints.GrpcPort));
        return new StartedHost(app, http, grpc);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
