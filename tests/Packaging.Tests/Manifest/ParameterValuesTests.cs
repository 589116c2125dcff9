using Inference.Packaging.Manifest;

namespace Inference.Packaging.Tests.Manifest;

public sealed class ParameterValuesTests
{
    private static ParameterDefinition Def(ParameterType type, ValueRange? range = null, params string[] enumValues) =>
        new("p", null, type, range, enumValues.Length == 0 ? null : enumValues.Select(v => new EnumValue(v, v)).ToList(), false, null);

    [Theory]
    [InlineData("42", 42L)]
    [InlineData(42L, 42L)]
    [InlineData(42.0, 42L)]
    [InlineData("-7", -7L)]
    public void IntegersConvert(object raw, long expected)
    {
        Assert.True(ParameterValues.TryConvert(Def(ParameterType.Integer), raw, out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("4.5")]
    [InlineData(4.5)]
    [InlineData(true)]
    [InlineData("ten")]
    public void NonIntegersAreRefusedForIntegers(object raw)
    {
        Assert.False(ParameterValues.TryConvert(Def(ParameterType.Integer), raw, out _, out var error));
        Assert.Contains("'p'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RangesAreInclusive()
    {
        var def = Def(ParameterType.Float, new ValueRange("0", "1"));

        Assert.True(ParameterValues.TryConvert(def, 0.0, out _, out _));
        Assert.True(ParameterValues.TryConvert(def, "1", out _, out _));
        Assert.False(ParameterValues.TryConvert(def, 1.0000001, out _, out var error));
        Assert.Contains("outside its range [0, 1]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EnumsAcceptOnlyTheirValues()
    {
        var def = Def(ParameterType.Enum, null, "a", "1");

        Assert.True(ParameterValues.TryConvert(def, "a", out var value, out _));
        Assert.Equal("a", value);
        Assert.True(ParameterValues.TryConvert(def, 1L, out value, out _));
        Assert.Equal("1", value);
        Assert.False(ParameterValues.TryConvert(def, "b", out _, out var error));
        Assert.Contains("must be one of a, 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BooleansAndStringsKeepTheirKind()
    {
        Assert.True(ParameterValues.TryConvert(Def(ParameterType.Boolean), "true", out var b, out _));
        Assert.Equal(true, b);
        Assert.False(ParameterValues.TryConvert(Def(ParameterType.Boolean), "yes", out _, out _));
        Assert.True(ParameterValues.TryConvert(Def(ParameterType.String), "x", out var s, out _));
        Assert.Equal("x", s);
        Assert.False(ParameterValues.TryConvert(Def(ParameterType.String), 5L, out _, out _));
    }

    [Fact]
    public void TimesAreDateTimesOrTimesOfDay()
    {
        var def = Def(ParameterType.Time, new ValueRange("08:00", "20:00"));

        Assert.True(ParameterValues.TryConvert(def, "09:15:30", out var value, out _));
        Assert.Equal(new TimeSpan(9, 15, 30), value);
        Assert.False(ParameterValues.TryConvert(def, "21:00", out _, out var error));
        Assert.Contains("outside its range", error, StringComparison.Ordinal);
        Assert.False(ParameterValues.TryConvert(def, "2026-01-01T10:00:00Z", out _, out error));
        Assert.Contains("not the same kind", error, StringComparison.Ordinal);
        Assert.True(ParameterValues.TryConvert(Def(ParameterType.Time), "2026-01-01T10:00:00Z", out value, out _));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), value);
        Assert.False(ParameterValues.TryConvert(Def(ParameterType.Time), "25:00", out _, out _));
    }

    [Fact]
    public void MissingValueIsAnError()
    {
        Assert.False(ParameterValues.TryConvert(Def(ParameterType.String), null, out _, out var error));
        Assert.Contains("no value", error, StringComparison.Ordinal);
    }
}
