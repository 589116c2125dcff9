using Microsoft.Extensions.Options;

namespace Inference.Host.Tests.Configuration;

/// <summary>A bad setting stops the host at start with the setting's name, before anything listens.</summary>
public sealed class HostStartupTests
{
    [Theory]
    [InlineData("--http-port", "99999", "HttpPort")]
    [InlineData("--http-address", "not-an-ip", "Host:HttpAddress")]
    [InlineData("--intra-op-threads", "-1", "IntraOpThreads")]
    [InlineData("--Host:StreamReorderWindow", "0", "StreamReorderWindow")]
    [InlineData("--Host:StreamMaxMessageBytes", "100", "StreamMaxMessageBytes")]
    [InlineData("--Host:StreamSendQueue", "0", "StreamSendQueue")]
    [InlineData("--Host:StreamIdleTimeoutSeconds", "0", "StreamIdleTimeoutSeconds")]
    [InlineData("--Host:StreamIdleTimeoutSeconds", "7200", "must not exceed Host:StreamMaxLifetimeSeconds (3600)")]
    public async Task BadSettingsFailStartNamingTheSetting(string flag, string value, string named)
    {
        // Kestrel's listen settings are read while the host is built, the rest when it starts: either way, no start.
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = HostApp.Build([flag, value, "--repository", Path.GetTempPath(), "--grpc-port", "0"]);
            await app.StartAsync();
        });

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRepositoryFailsStartNamingTheFolder()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-repository-" + Guid.NewGuid().ToString("N"));
        await using var app = HostApp.Build(["--repository", missing, "--http-port", "0", "--grpc-port", "0"]);

        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => app.StartAsync());

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}
