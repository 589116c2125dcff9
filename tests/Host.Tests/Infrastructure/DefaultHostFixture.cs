namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// The host as <c>dotnet run --project src/Host</c> starts it: on its embedded default repository (the
/// samples shipped in samples/models, copied beside the host), on a free loopback port. Packages are
/// installed into a temp folder rather than beside the test binaries.
/// </summary>
public sealed class DefaultHostFixture : IAsyncLifetime
{
    private readonly DirectoryInfo installRoot = Directory.CreateTempSubdirectory("default-host-packages-");
    private StartedHost? host;

    public HttpClient Client => host?.Client ?? throw new InvalidOperationException("host not started");

    public async Task InitializeAsync() =>
        host = await StartedHost.StartAsync("--http-port", "0", "--Host:PackageInstallRoot", installRoot.FullName);

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
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
