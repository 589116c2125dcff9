using Inference.Packaging.Archive;

namespace Inference.Packaging.Tests.Archive;

public sealed class PackageFileNameTests
{
    [Theory]
    [InlineData("demo-1.2.3.tar.gz", "demo", "1.2.3", 1, 2, 3)]
    [InlineData("speech_to_text-0.0.0.tar.gz", "speech_to_text", "0.0.0", 0, 0, 0)]
    [InlineData("Decoder2-10.20.300.tar.gz", "Decoder2", "10.20.300", 10, 20, 300)]
    [InlineData("1st-2147483647.0.1.tar.gz", "1st", "2147483647.0.1", 2147483647, 0, 1)]
    public void ParsesServiceAndVersion(string fileName, string service, string version, int major, int minor, int patch)
    {
        var parsed = PackageFileName.Parse(fileName);

        Assert.Equal(service, parsed.Service);
        Assert.Equal(version, parsed.Version);
        Assert.Equal((major, minor, patch), (parsed.Major, parsed.Minor, parsed.Patch));
        Assert.Equal(fileName, parsed.FileName);
        Assert.Equal(fileName, parsed.ToString());
        Assert.True(PackageFileName.TryParse(fileName, out var again));
        Assert.Equal(parsed, again);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("demo-1.2.3.tgz", "'.tar.gz'")]
    [InlineData("demo-1.2.3.TAR.GZ", "'.tar.gz'")]
    [InlineData("demo-1.2.3.tar", "'.tar.gz'")]
    [InlineData("demo.tar.gz", "no '-'")]
    [InlineData("-1.2.3.tar.gz", "service name is empty")]
    [InlineData("my-demo-1.2.3.tar.gz", "version 'demo-1.2.3'")]
    [InlineData("de.mo-1.2.3.tar.gz", "only letters, digits and '_'")]
    [InlineData("démo-1.2.3.tar.gz", "only letters, digits and '_'")]
    [InlineData("_demo-1.2.3.tar.gz", "start with a letter or digit")]
    [InlineData("demo-1.2.tar.gz", "MAJOR.MINOR.PATCH")]
    [InlineData("demo-1.2.3.4.tar.gz", "more than three")]
    [InlineData("demo-01.2.3.tar.gz", "leading zeros")]
    [InlineData("demo-1.2.3-rc.1.tar.gz", "MAJOR.MINOR.PATCH")]
    [InlineData("demo-1.2.3+build.tar.gz", "MAJOR.MINOR.PATCH")]
    [InlineData("demo-1..3.tar.gz", "MAJOR.MINOR.PATCH")]
    [InlineData("demo-1.2.-3.tar.gz", "MAJOR.MINOR.PATCH")]
    [InlineData("demo-1.2.99999999999.tar.gz", "MAJOR.MINOR.PATCH")]
    [InlineData("dist/demo-1.2.3.tar.gz", "folder part")]
    [InlineData("..\\demo-1.2.3.tar.gz", "folder part")]
    public void RefusesOtherNames(string fileName, string reason)
    {
        var error = Assert.Throws<PackageException>(() => PackageFileName.Parse(fileName));

        Assert.Equal(PackageErrorCode.BadFileName, error.Code);
        Assert.Contains($"'{fileName}'", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.False(PackageFileName.TryParse(fileName, out _));
    }

    [Fact]
    public void RefusesAServiceNameLongerThanTheLimit()
    {
        var fileName = new string('s', PackageFileName.MaxServiceLength + 1) + "-1.0.0.tar.gz";

        var error = Assert.Throws<PackageException>(() => PackageFileName.Parse(fileName));

        Assert.Equal(PackageErrorCode.BadFileName, error.Code);
        Assert.Contains("129 characters", error.Message);
    }

    [Fact]
    public void TryParseTakesNull()
    {
        Assert.False(PackageFileName.TryParse(null, out var parsed));
        Assert.Null(parsed);
    }
}
