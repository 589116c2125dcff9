using Microsoft.AspNetCore.Builder;

namespace Inference.Host.Tests.Infrastructure;

/// <summary>
/// The real host (Kestrel on a free loopback port) over <see cref="TestRepository"/>, shared by the
/// HTTP tests of one collection. Requests go through a real socket, like any client's.
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    public const long BodyLimit = 1024 * 1024;

    private StartedHost? host;

    public string Repository { get; } = TestRepository.Create();

    public HttpClient Client => Started.Client;

    public Uri BaseAddress => Started.BaseAddress;

    /// <summary>The gRPC port's address (a free port).</summary>
    public Uri GrpcAddress => Started.GrpcAddress;

    public WebApplication App => Started.App;

    private StartedHost Started => host ?? throw new InvalidOperationException("host not started");

    public async Task InitializeAsync() =>
        host = await StartedHost.StartAsync("--repository", Repository, "--http-port", "0", "--max-request-body-bytes", BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
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
