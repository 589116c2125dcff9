using System.Globalization;
using System.Text;
using Inference.Host.Protocol.Oip;

namespace Inference.Host.Tests.Protocol.Oip;

public sealed class DecimalNumberParserTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("1")]
    [InlineData("-1.5")]
    [InlineData("0.1")]
    [InlineData("3.4028235e38")]
    [InlineData("1.17549435e-38")]
    [InlineData("1e-45")]
    [InlineData("16777217")]
    [InlineData("16777219")]
    [InlineData("0.000000000000000000000000000000000000000000001")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1.00000005960464477539062500001")]
    [InlineData("1.000000059604644775390625")]
    [InlineData("9007199254740993")]
    [InlineData("2.5E+3")]
    [InlineData("2.5e-3")]
    public void SingleMatchesTheRuntimesExactParser(string text)
    {
        Assert.True(DecimalNumberParser.TryParseSingle(Encoding.ASCII.GetBytes(text), out var value, out var consumed));
        Assert.Equal(text.Length, consumed);
        Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(value));
    }

    [Theory]
    [InlineData("0.1")]
    [InlineData("-123.456e-7")]
    [InlineData("9007199254740993")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("4.9e-324")]
    [InlineData("0.30000000000000004")]
    public void DoubleMatchesTheRuntimesExactParser(string text)
    {
        Assert.True(DecimalNumberParser.TryParseDouble(Encoding.ASCII.GetBytes(text), out var value, out _));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void RandomFloatsInEveryFormatRoundTripExactly()
    {
        var random = new Random(1234);
        var buffer = new byte[64];
        for (var i = 0; i < 200_000; i++)
        {
            // Random bit patterns cover every exponent; short decimals hit the fast path, long ones the fallback.
            var f = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
            if (!float.IsFinite(f))
            {
                continue;
            }

            var format = (i % 4) switch { 0 => "R", 1 => "G6", 2 => "E3", _ => "F2" };
            var text = f.ToString(format, CultureInfo.InvariantCulture);
            var length = Encoding.ASCII.GetBytes(text, buffer);
            var expected = float.Parse(text, CultureInfo.InvariantCulture);
            if (!float.IsFinite(expected))
            {
                continue;
            }

            Assert.True(DecimalNumberParser.TryParseSingle(buffer.AsSpan(0, length), out var value, out var consumed), text);
            Assert.Equal(length, consumed);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(value), $"{text}: expected {expected:R}, got {value:R}");
        }
    }

    [Fact]
    public void DoublesPrintedInFullParseToTheSameFloatAsTheExactParser()
    {
        // JSON encoders (Python's json, numpy's tolist) print doubles with 16-17 digits.
        var random = new Random(77);
        for (var i = 0; i < 200_000; i++)
        {
            var d = (random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-30, 30));
            var text = d.ToString("R", CultureInfo.InvariantCulture);
            Assert.True(DecimalNumberParser.TryParseSingle(Encoding.ASCII.GetBytes(text), out var value, out _), text);
            Assert.True(
                BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)) == BitConverter.SingleToInt32Bits(value),
                $"{text}: expected {float.Parse(text, CultureInfo.InvariantCulture):R}, got {value:R}");
        }
    }

    [Fact]
    public void SeventeenDigitDecimalsAtFloatMidpointsRoundLikeTheExactParser()
    {
        // The float midpoint itself and its neighbours at the 17th digit: the cases where two
        // roundings (decimal -> double -> float) could differ from one.
        var random = new Random(5);
        for (var i = 0; i < 50_000; i++)
        {
            var f = BitConverter.Int32BitsToSingle(random.Next(0x2EDBE6FF, 0x501502F9)); // 1e-10 .. 1e10: the fast path's range
            var midpoint = ((double)f + (double)MathF.BitIncrement(f)) / 2;
            foreach (var candidate in new[] { midpoint, Math.BitIncrement(midpoint), Math.BitDecrement(midpoint) })
            {
                var text = candidate.ToString("E16", CultureInfo.InvariantCulture);
                Assert.True(DecimalNumberParser.TryParseSingle(Encoding.ASCII.GetBytes(text), out var value, out _), text);
                Assert.Equal(float.Parse(text, CultureInfo.InvariantCulture), value);
            }
        }
    }

    [Fact]
    public void DecimalsNearFloatMidpointsRoundLikeTheExactParser()
    {
        // Midpoints between adjacent floats, nudged by less than a double ulp: where rounding twice
        // (decimal -> double -> float) could go wrong if the midpoint case were not detected.
        var random = new Random(99);
        for (var i = 0; i < 20_000; i++)
        {
            var f = (float)(random.NextDouble() * 1000);
            var next = MathF.BitIncrement(f);
            var midpoint = ((decimal)f + (decimal)next) / 2;
            foreach (var candidate in new[] { midpoint, midpoint + 0.000000000000000001m, midpoint - 0.000000000000000001m })
            {
                var text = candidate.ToString(CultureInfo.InvariantCulture);
                Assert.True(DecimalNumberParser.TryParseSingle(Encoding.ASCII.GetBytes(text), out var value, out _));
                Assert.Equal(float.Parse(text, CultureInfo.InvariantCulture), value);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("01")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("1e")]
    [InlineData("+1")]
    [InlineData("NaN")]
    public void NonJsonNumbersAreRefused(string text)
    {
        Assert.False(DecimalNumberParser.TryParseSingle(Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Fact]
    public void OverflowIsRefusedNotInfinity()
    {
        Assert.False(DecimalNumberParser.TryParseSingle("1e39"u8, out _, out _));
        Assert.False(DecimalNumberParser.TryParseDouble("1e309"u8, out _, out _));
    }

    [Fact]
    public void StopsAtTheEndOfTheNumber()
    {
        Assert.True(DecimalNumberParser.TryParseSingle("12.5,3]"u8, out var value, out var consumed));
        Assert.Equal(12.5f, value);
        Assert.Equal(4, consumed);
    }
}
