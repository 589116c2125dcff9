using System.Text;
using Inference.Packaging.Archive;

namespace Inference.Packaging.Tests.Archive;

public sealed class Md5DigestTests : IDisposable
{
    // RFC 1321's test vector.
    private const string AbcDigest = "900150983cd24fb0d6963f7d28e17f72";
    private const string Package = "demo-1.2.3.tar.gz";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ComputesTheKnownDigest()
    {
        Assert.Equal(AbcDigest, Md5Digest.Compute("abc"u8).ToString());
        Assert.Equal(AbcDigest, Md5Digest.Compute(new MemoryStream("abc"u8.ToArray())).ToString());
    }

    [Fact]
    public async Task ComputesOverAStreamIncrementally()
    {
        var data = TestArchives.Random(3 * 1024 * 1024 + 17, 3);

        var streamed = Md5Digest.Compute(new TrickleStream(data));
        var streamedAsync = await Md5Digest.ComputeAsync(new TrickleStream(data));

        Assert.Equal(Md5Digest.Compute(data), streamed);
        Assert.Equal(Md5Digest.Compute(data), streamedAsync);
    }

    [Fact]
    public void ParsesUpperAndLowerCaseAndFormatsLowerCase()
    {
        var lower = Md5Digest.Parse(AbcDigest);
        var upper = Md5Digest.Parse(AbcDigest.ToUpperInvariant());

        Assert.Equal(lower, upper);
        Assert.True(lower == upper);
        Assert.False(lower != upper);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
        Assert.Equal(AbcDigest, upper.ToString());
        Assert.Equal(16, upper.Bytes.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("900150983cd24fb0d6963f7d28e17f7")]
    [InlineData("900150983cd24fb0d6963f7d28e17f722")]
    [InlineData("900150983cd24fb0d6963f7d28e17f7g")]
    [InlineData(" 900150983cd24fb0d6963f7d28e17f72")]
    public void RefusesWhatIsNotADigest(string text)
    {
        Assert.False(Md5Digest.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Md5Digest.Parse(text));
    }

    [Fact]
    public void ComparesDifferentDigestsAsDifferent()
    {
        Assert.NotEqual(Md5Digest.Compute("abc"u8), Md5Digest.Compute("abd"u8));
        Assert.True(Md5Digest.Compute("abc"u8) != Md5Digest.Compute("abd"u8));
        Assert.False(Md5Digest.Compute("abc"u8).Equals(null));
    }

    [Theory]
    [InlineData(AbcDigest + "  " + Package)] // md5sum, text mode
    [InlineData(AbcDigest + " *" + Package)] // md5sum -b, binary mode
    [InlineData(AbcDigest + " " + Package)] // one space
    [InlineData("900150983CD24FB0D6963F7D28E17F72  " + Package)] // upper case
    [InlineData(AbcDigest)] // bare digest
    [InlineData(AbcDigest + "\n")]
    [InlineData(AbcDigest + "  " + Package + "\r\n")] // written on Windows
    [InlineData("\uFEFF" + AbcDigest + "  " + Package)] // with a byte-order mark
    [InlineData(AbcDigest + "  dist/" + Package)] // md5sum dist/<file>
    [InlineData("d41d8cd98f00b204e9800998ecf8427e  other-1.0.0.tar.gz\n" + AbcDigest + "  " + Package + "\n")] // a list
    public void ParsesSidecarFormats(string content)
    {
        Assert.Equal(AbcDigest, Md5Digest.ParseSidecar(content, Package).ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\n\n", "empty")]
    [InlineData("not a digest", "line 1")]
    [InlineData("900150983cd24fb0d6963f7d28e17f7  " + Package, "line 1")] // 31 digits
    [InlineData("900150983cd24fb0d6963f7d28e17f722  " + Package, "line 1")] // 33 digits
    [InlineData(AbcDigest + " *", "line 1")] // a mode marker but no name
    [InlineData(AbcDigest + "\n" + AbcDigest, "bare digests")]
    public void RefusesMalformedSidecars(string content, string detail)
    {
        var error = Assert.Throws<PackageException>(() => Md5Digest.ParseSidecar(content, Package));

        Assert.Equal(PackageErrorCode.DigestMissing, error.Code);
        Assert.Contains(Package + ".md5", error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Fact]
    public void RefusesASidecarForAnotherFile()
    {
        var error = Assert.Throws<PackageException>(() => Md5Digest.ParseSidecar(AbcDigest + "  demo-1.2.4.tar.gz", Package));

        Assert.Equal(PackageErrorCode.DigestMissing, error.Code);
        Assert.Contains("'demo-1.2.4.tar.gz' but not '" + Package + "'", error.Message);
    }

    [Fact]
    public void RefusesASidecarWithTwoDigestsForTheFile()
    {
        var content = $"{AbcDigest}  {Package}\nd41d8cd98f00b204e9800998ecf8427e  {Package}\n";

        var error = Assert.Throws<PackageException>(() => Md5Digest.ParseSidecar(content, Package));

        Assert.Equal(PackageErrorCode.DigestMissing, error.Code);
        Assert.Contains("2 different digests for '" + Package + "'", error.Message);
    }

    [Fact]
    public void ReadsTheSidecarNextToThePackage()
    {
        var package = _temp.Combine(Package);
        File.WriteAllText(Md5Digest.SidecarPathFor(package), Md5Digest.Parse(AbcDigest).ToSidecarLine(Package) + "\n", Encoding.ASCII);

        Assert.Equal(AbcDigest, Md5Digest.ReadSidecar(package).ToString());
        Assert.EndsWith(Package + ".md5", Md5Digest.SidecarPathFor(package));
    }

    [Fact]
    public void ReportsAMissingSidecarByName()
    {
        var package = _temp.Combine(Package);

        var error = Assert.Throws<PackageException>(() => Md5Digest.ReadSidecar(package));

        Assert.Equal(PackageErrorCode.DigestMissing, error.Code);
        Assert.Contains(package + ".md5", error.Message);
    }

    [Fact]
    public void RefusesAnOversizedSidecarWithoutReadingIt()
    {
        var package = _temp.Combine(Package);
        File.WriteAllBytes(Md5Digest.SidecarPathFor(package), new byte[Md5Digest.MaxSidecarBytes + 1]);

        var error = Assert.Throws<PackageException>(() => Md5Digest.ReadSidecar(package));

        Assert.Equal(PackageErrorCode.DigestMissing, error.Code);
        Assert.Contains(package + ".md5", error.Message);
    }

    /// <summary>Hands out data a few odd-sized bytes at a time, as a network stream would.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 4093));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 4093)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 4093)], cancellationToken);
    }
}
