using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// The host as <c>dotnet run --project src/Host</c> starts it: on its embedded default repository (the
/// samples shipped in samples/models, copied beside the host), on a free loopback port. Packages are
/// installed into a temp folder rather than beside the test binaries.
/// </summary>
public sealed class DefaultHostFixture : IAsyncLifetime
{
    private readonly DirectoryInfo installRoot = Directory.CreateTempSubdirectory("default-host-packages-");
    private WebApplication? app;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        app = HostApp.Build(["--http-port", "0", "--Host:PackageInstallRoot", installRoot.FullName]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        try
        {
            installRoot.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind harms nothing.
        }
    }
}
