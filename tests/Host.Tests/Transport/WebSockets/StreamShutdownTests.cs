using Inference.Host.Tests.Infrastructure;
using static Inference.Host.Tests.Transport.WebSockets.StreamClient;

namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>A host that stops closes its open sessions with 1001 (going away) and closes their plugin sessions.</summary>
public sealed class StreamShutdownTests
{
    [Fact]
    public async Task StoppingTheHostClosesOpenSessionsWith1001()
    {
        var repository = Directory.CreateTempSubdirectory("inference-stream-stop-");
        TestPackages.WriteTo(repository.FullName);
        var host = await StartedHost.StartAsync("--repository", repository.FullName, "--http-port", "0", "--run-test-cases-on-load", "false");
        try
        {
            await using var client = await OpenAsync(host.BaseAddress, "echo");
            await client.SendTextChunkAsync("a", status: 0);
            await client.ReceiveAsync();
            var closing = client.ReceiveCloseAsync();

            var stopping = host.App.StopAsync();
            var (code, reason, frames) = await closing;
            await stopping.WaitAsync(Wait);

            Assert.Equal((1001, "host stopping"), (code, reason));
            Assert.Empty(frames);
        }
        finally
        {
            await host.DisposeAsync();
            repository.Delete(recursive: true);
        }
    }
}
