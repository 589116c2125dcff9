using Inference.Host.Configuration;

namespace Inference.Host.Tests.Configuration;

public sealed class ServerOptionsValidatorTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    public void IpAddressesPass(string address) =>
        Assert.True(new ServerOptionsValidator().Validate(null, new ServerOptions { HttpAddress = address }).Succeeded);

    [Theory]
    [InlineData("localhost")]
    [InlineData("")]
    [InlineData("300.1.1.1")]
    public void OtherAddressesFailNamingTheSetting(string address)
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { HttpAddress = address });

        Assert.True(result.Failed);
        Assert.Contains("Host:HttpAddress", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdleTimeoutLongerThanTheLifetimeFailsNamingBoth()
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { StreamIdleTimeoutSeconds = 120, StreamMaxLifetimeSeconds = 60 });

        Assert.True(result.Failed);
        Assert.Contains("Host:StreamIdleTimeoutSeconds (120) must not exceed Host:StreamMaxLifetimeSeconds (60)", result.FailureMessage, StringComparison.Ordinal);
    }
}
