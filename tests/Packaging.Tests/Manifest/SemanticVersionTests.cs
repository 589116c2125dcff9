using Inference.Packaging.Manifest;

namespace Inference.Packaging.Tests.Manifest;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("0.0.0", 0, 0, 0)]
    [InlineData("1.2.3", 1, 2, 3)]
    [InlineData("10.20.30", 10, 20, 30)]
    public void ValidVersionsParse(string text, int major, int minor, int patch)
    {
        Assert.True(SemanticVersion.TryParse(text, out var version));
        Assert.Equal(new SemanticVersion(major, minor, patch), version);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData("1.-2.3")]
    [InlineData("1.2.x")]
    [InlineData(" 1.2.3")]
    public void InvalidVersionsDoNot(string? text) => Assert.False(SemanticVersion.TryParse(text, out _));

    [Fact]
    public void OrderIsMajorThenMinorThenPatch()
    {
        var versions = new[] { "1.10.0", "1.2.10", "2.0.0", "1.2.9" }
            .Select(t => SemanticVersion.TryParse(t, out var v) ? v : throw new InvalidOperationException(t))
            .Order()
            .Select(v => v.ToString());

        Assert.Equal(["1.2.9", "1.2.10", "1.10.0", "2.0.0"], versions);
    }
}
