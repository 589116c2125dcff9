using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>One load-control host for <see cref="OipAdmissionTests"/>: simple at optimal 1 / max 3, slow at 1 / 4.</summary>
public sealed class OipAdmissionHost : IAsyncLifetime
{
    public const string Settings = """
        { "Models": { "simple": { "OptimalConcurrency": 1, "MaxConcurrency": 3 }, "slow": { "OptimalConcurrency": 1, "MaxConcurrency": 4 } } }
        """;

    private LoadControlHost? host;

    public LoadControlHost Host => host ?? throw new InvalidOperationException("host not started");

    public async Task InitializeAsync() => host = await LoadControlHost.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}
