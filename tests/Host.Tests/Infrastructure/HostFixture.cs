using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// The real host (Kestrel on a free loopback port) over <see cref="TestRepository"/>, shared by the
/// HTTP tests of one collection. Requests go through a real socket, like any client's.
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    public const long BodyLimit = 1024 * 1024;

    private WebApplication? app;

    public string Repository { get; } = TestRepository.Create();

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public WebApplication App => app ?? throw new InvalidOperationException("host not started");

    public async Task InitializeAsync()
    {
        app = HostApp.Build(["--repository", Repository, "--http-port", "0", "--max-request-body-bytes", BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
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
            Directory.Delete(Repository, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind harms nothing.
        }
    }
}
