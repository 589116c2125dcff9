using Inference.Host.Transport.Grpc;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>The grpc-timeout parser: 1-8 digits and a unit, in microseconds; never 0 (which would mean none).</summary>
public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3_600_000_000L)]
    [InlineData("2M", 120_000_000L)]
    [InlineData("3S", 3_000_000L)]
    [InlineData("250m", 250_000L)]
    [InlineData("99999999u", 99_999_999L)]
    [InlineData("1500n", 2L)]
    [InlineData("1n", 1L)]
    [InlineData("0S", 1L)]
    [InlineData("00000010m", 10_000L)]
    public void ValidTimeoutsParse(string value, long microseconds)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var parsed));
        Assert.Equal(microseconds, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("10 S")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    [InlineData("1.5S")]
    public void OtherValuesDoNot(string? value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Theory]
    [InlineData(0L, null, 0L)]
    [InlineData(0L, 500L, 500L)]
    [InlineData(700L, null, 700L)]
    [InlineData(700L, 500L, 500L)]
    [InlineData(300L, 500L, 300L)]
    public void TheEarlierDeadlineWinsAndZeroIsNone(long first, long? second, long expected) =>
        Assert.Equal(expected, GrpcTimeout.Earlier(first, second));
}
