using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// The real host started with the given command line (add <c>--http-port 0</c> for a free port), and a
/// client for its address. Disposing stops it.
/// </summary>
public sealed class StartedHost : IAsyncDisposable
{
    private StartedHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public static Task<StartedHost> StartAsync(params string[] args) => StartAsync(null, args);

    /// <summary>The host with services of the test's own (<paramref name="configure"/> runs before the host's registrations; a clock, say).</summary>
    public static async Task<StartedHost> StartAsync(Action<WebApplicationBuilder>? configure, params string[] args)
    {
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

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StartedHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
