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

    [Theory]
    [InlineData(9000, 9000, null, "Host:GrpcPort (9000) must differ from Host:HttpPort (9000).")]
    [InlineData(8080, 9001, 9001, "Host:HealthPort (9001) must differ from Host:GrpcPort (9001).")]
    public void TheGrpcPortMustDifferFromTheOthers(int http, int grpc, int? health, string message)
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { HttpPort = http, GrpcPort = grpc, HealthPort = health });

        Assert.True(result.Failed);
        Assert.Equal(message, result.FailureMessage);
    }

    [Fact]
    public void FreePortsMayAllBeZero() =>
        Assert.True(new ServerOptionsValidator().Validate(null, new ServerOptions { HttpPort = 0, GrpcPort = 0, HealthPort = 0 }).Succeeded);

    [Fact]
    public void TheGrpcMessageLimitDefaultsToTheBodyLimit()
    {
        Assert.Equal(1 << 20, new ServerOptions { MaxRequestBodyBytes = 1 << 20 }.EffectiveGrpcMaxMessageBytes);
        Assert.Equal(4096, new ServerOptions { MaxRequestBodyBytes = 1 << 20, GrpcMaxMessageBytes = 4096 }.EffectiveGrpcMaxMessageBytes);
    }

    [Fact]
    public void AnIdleTimeoutLongerThanTheLifetimeFailsNamingBoth()
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { StreamIdleTimeoutSeconds = 120, StreamMaxLifetimeSeconds = 60 });

        Assert.True(result.Failed);
        Assert.Contains("Host:StreamIdleTimeoutSeconds (120) must not exceed Host:StreamMaxLifetimeSeconds (60)", result.FailureMessage, StringComparison.Ordinal);
    }
}
