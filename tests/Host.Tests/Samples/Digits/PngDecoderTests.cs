using System.Buffers.Binary;
using System.IO.Compression;
using Inference.Plugins.Sdk;
using Inference.Samples.Digits;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// The digits plugin's PNG decoder against PNGs from other encoders (Data/make_fixtures.py: every colour
/// type and filter type, split IDATs, ImageMagick's output), pixel for pixel, and its refusals, each
/// with its own error code. Every rented buffer must come back, refused or not.
/// </summary>
public sealed class PngDecoderTests
{
    public static TheoryData<string> Fixtures() => [.. FixtureNames()];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void DecodesFixturesPixelExact(string name)
    {
        var png = File.ReadAllBytes(DigitsPaths.Fixture(name + ".png"));
        var expected = File.ReadAllBytes(DigitsPaths.Fixture(name + ".raw"));
        var pool = new CountingPool();

        using (var image = PngDecoder.Decode(png, pool))
        {
            Assert.Equal((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), image.Width);
            Assert.Equal((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)), image.Height);
            Assert.Equal(TestImages.Channels(png[25]), image.Channels);
            Assert.Equal(expected, image.Pixels.ToArray());
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void FixturesCoverEveryColourTypeAndFilterType()
    {
        var colourTypes = new HashSet<int>();
        var filterTypes = new HashSet<int>();
        foreach (var name in FixtureNames())
        {
            var png = File.ReadAllBytes(DigitsPaths.Fixture(name + ".png"));
            colourTypes.Add(png[25]);
            filterTypes.UnionWith(RowFilters(png));
        }

        Assert.Equal([0, 2, 4, 6], colourTypes.Order());
        Assert.Equal([0, 1, 2, 3, 4], filterTypes.Order());
        Assert.True(FixtureNames().Count >= (4 * 6) + 3, "the fixtures are missing; run Data/make_fixtures.py");
    }

    [Fact]
    public void ImageMagickChoosesFiltersOtherThanNone()
    {
        // Adaptive filtering is ImageMagick's default for these images: proof that a foreign encoder's mix is read.
        Assert.Contains(RowFilters(File.ReadAllBytes(DigitsPaths.Fixture("magick_rgb.png"))), f => f != 0);
    }

    public static TheoryData<string, int, string> Refusals() => new()
    {
        { "gif", DigitsErrors.NotAnImage, "not a PNG" },
        { "pgm", DigitsErrors.NotAnImage, "not a PNG" },
        { "empty", DigitsErrors.Truncated, "empty" },
        { "no iend", DigitsErrors.Truncated, "before its IEND" },
        { "chunk longer than the file", DigitsErrors.Truncated, "declares" },
        { "too little image data", DigitsErrors.Truncated, "inflates to 12 bytes" },
        { "crc in idat", DigitsErrors.Crc, "'IDAT' chunk at byte 33 fails its CRC" },
        { "crc in ihdr", DigitsErrors.Crc, "'IHDR' chunk at byte 8 fails its CRC" },
        { "zlib header", DigitsErrors.Zlib, "corrupt" },
        { "deflate block type", DigitsErrors.Zlib, "corrupt" },
        { "adler32", DigitsErrors.Zlib, "corrupt" },
        { "zero width", DigitsErrors.ZeroSize, "0x4" },
        { "zero height", DigitsErrors.ZeroSize, "4x0" },
        { "too wide", DigitsErrors.TooLarge, "4097x1" },
        { "too tall", DigitsErrors.TooLarge, "1x4097" },
        { "huge", DigitsErrors.TooLarge, "4294967295x4294967295" },
        { "interlaced by imagemagick", DigitsErrors.Interlaced, "interlaced" },
        { "interlaced", DigitsErrors.Interlaced, "interlaced" },
        { "palette", DigitsErrors.Unsupported, "palette" },
        { "16-bit by imagemagick", DigitsErrors.Unsupported, "16-bit" },
        { "16-bit grey", DigitsErrors.Unsupported, "16-bit" },
        { "unknown critical chunk", DigitsErrors.Unsupported, "'QUUX'" },
        { "ihdr not first", DigitsErrors.Malformed, "first chunk is 'tEXt'" },
        { "ihdr twice", DigitsErrors.Malformed, "second IHDR" },
        { "short ihdr", DigitsErrors.Malformed, "12 bytes" },
        { "compression method", DigitsErrors.Malformed, "compression method 1" },
        { "filter method", DigitsErrors.Malformed, "filter method 1" },
        { "interlace method", DigitsErrors.Malformed, "interlace method 2" },
        { "colour type", DigitsErrors.Malformed, "colour type 5" },
        { "bit depth for rgb", DigitsErrors.Malformed, "bit depth 4" },
        { "row filter type", DigitsErrors.Malformed, "row 2 has filter type 5" },
        { "chunk type not letters", DigitsErrors.Malformed, "not four ASCII letters" },
        { "no idat", DigitsErrors.Malformed, "no IDAT" },
        { "too much image data", DigitsErrors.Malformed, "more than the 20 bytes" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void RefusesBadImagesWithTheirCode(string name, int code, string message)
    {
        var pool = new CountingPool();

        var e = Assert.Throws<PluginException>(() => PngDecoder.Decode(BadPng(name), pool).Dispose());

        Assert.Equal(code, e.Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void EveryCutOffPrefixIsTruncated()
    {
        var png = File.ReadAllBytes(DigitsPaths.Fixture("rgba_split_idat.png"));
        var pool = new CountingPool();

        for (var length = 0; length < png.Length; length++)
        {
            var e = Assert.Throws<PluginException>(() => PngDecoder.Decode(png.AsSpan(0, length), pool).Dispose());
            Assert.True(e.Code == DigitsErrors.Truncated, $"{length} of {png.Length} bytes: {e.Code} {e.Message}");
        }

        Assert.Equal(0, pool.Outstanding);
        using var whole = PngDecoder.Decode(png, pool);
    }

    [Fact]
    public void BytesAfterIendAreIgnored()
    {
        var png = File.ReadAllBytes(DigitsPaths.Fixture("grey_paeth.png"));

        using var image = PngDecoder.Decode([.. png, .. "trailing junk"u8], new CountingPool());

        Assert.Equal(File.ReadAllBytes(DigitsPaths.Fixture("grey_paeth.raw")), image.Pixels.ToArray());
    }

    /// <summary>The PNG fixtures that come with their pixels (name.png and name.raw).</summary>
    private static List<string> FixtureNames() =>
        [.. Directory.GetFiles(DigitsPaths.Fixtures, "*.png").Select(p => Path.GetFileNameWithoutExtension(p)).Where(n => File.Exists(DigitsPaths.Fixture(n + ".raw"))).Order()];

    /// <summary>The filter type of every row of a non-interlaced PNG, read with the test's own inflater.</summary>
    private static IEnumerable<int> RowFilters(byte[] png)
    {
        int width = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), height = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20));
        var stride = width * TestImages.Channels(png[25]);
        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (png.AsSpan(offset + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.Write(png, offset + 8, length);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[height * (stride + 1)];
        zlib.ReadExactly(raw);
        return Enumerable.Range(0, height).Select(y => (int)raw[y * (stride + 1)]).ToList();
    }

    private static byte[] BadPng(string name)
    {
        // A valid 4x4 grey image: 4 rows of a filter byte and 4 pixels.
        var pixels = Enumerable.Range(0, 16).Select(i => (byte)(i * 16)).ToArray();
        var raw = TestImages.Scanlines(4, 4, pixels);
        var good = TestImages.Zlib(raw);
        var ihdr = TestImages.Ihdr(4, 4, 8, 0, 0);
        byte[] Png(byte[] header, byte[] idat) => TestImages.Assemble(header, idat);
        byte[] Chunks(params byte[][] chunks) => [.. TestImages.Signature, .. chunks.SelectMany(c => c)];
        byte[] Flip(byte[] data, int at)
        {
            var copy = data.ToArray();
            copy[at] ^= 0x01;
            return copy;
        }

        return name switch
        {
            "gif" => [.. "GIF89a"u8, 4, 0, 4, 0],
            "pgm" => TestImages.Pgm(4, 4, pixels),
            "empty" => [],
            "no iend" => Chunks(TestImages.Chunk("IHDR", ihdr), TestImages.Chunk("IDAT", good)),
            "chunk longer than the file" => Png(ihdr, good)[..^20],
            "too little image data" => Png(ihdr, TestImages.Zlib(raw[..12])),
            "crc in idat" => Flip(Png(ihdr, good), 33 + 8 + 3),
            "crc in ihdr" => Flip(Png(ihdr, good), 8 + 8 + 2),
            "zlib header" => Png(ihdr, [0x78, 0x00, .. good[2..]]),
            "deflate block type" => Png(ihdr, [0x78, 0x9C, 0x07, 0x00, 0x00, 0x00]),
            "adler32" => Png(ihdr, Flip(good, good.Length - 1)),
            "zero width" => Png(TestImages.Ihdr(0, 4, 8, 0, 0), good),
            "zero height" => Png(TestImages.Ihdr(4, 0, 8, 0, 0), good),
            "too wide" => Png(TestImages.Ihdr(4097, 1, 8, 0, 0), good),
            "too tall" => Png(TestImages.Ihdr(1, 4097, 8, 0, 0), good),
            "huge" => Png(TestImages.Ihdr(uint.MaxValue, uint.MaxValue, 8, 0, 0), good),
            "interlaced by imagemagick" => File.ReadAllBytes(DigitsPaths.Fixture("refused_interlaced.png")),
            "interlaced" => Png(TestImages.Ihdr(4, 4, 8, 0, 1), good),
            "palette" => File.ReadAllBytes(DigitsPaths.Fixture("refused_palette.png")),
            "16-bit by imagemagick" => File.ReadAllBytes(DigitsPaths.Fixture("refused_16bit.png")),
            "16-bit grey" => Png(TestImages.Ihdr(4, 4, 16, 0, 0), good),
            "unknown critical chunk" => Chunks(TestImages.Chunk("IHDR", ihdr), TestImages.Chunk("QUUX", [1, 2]), TestImages.Chunk("IDAT", good), TestImages.Chunk("IEND", [])),
            "ihdr not first" => Chunks(TestImages.Chunk("tEXt", "a\0b"u8.ToArray()), TestImages.Chunk("IHDR", ihdr), TestImages.Chunk("IDAT", good), TestImages.Chunk("IEND", [])),
            "ihdr twice" => Chunks(TestImages.Chunk("IHDR", ihdr), TestImages.Chunk("IHDR", ihdr), TestImages.Chunk("IDAT", good), TestImages.Chunk("IEND", [])),
            "short ihdr" => Png(ihdr[..12], good),
            "compression method" => Png(TestImages.Ihdr(4, 4, 8, 0, 0, compression: 1), good),
            "filter method" => Png(TestImages.Ihdr(4, 4, 8, 0, 0, filter: 1), good),
            "interlace method" => Png(TestImages.Ihdr(4, 4, 8, 0, 2), good),
            "colour type" => Png(TestImages.Ihdr(4, 4, 8, 5, 0), good),
            "bit depth for rgb" => Png(TestImages.Ihdr(4, 4, 4, 2, 0), good),
            "row filter type" => Png(ihdr, TestImages.Zlib(Set(raw, 2 * 5, 5))),
            "chunk type not letters" => Chunks(TestImages.Chunk("IHDR", ihdr), TestImages.Chunk("ID4T", good), TestImages.Chunk("IEND", [])),
            "no idat" => Chunks(TestImages.Chunk("IHDR", ihdr), TestImages.Chunk("IEND", [])),
            "too much image data" => Png(ihdr, TestImages.Zlib([.. raw, 0])),
            _ => throw new ArgumentException(name),
        };
    }

    private static byte[] Set(byte[] data, int at, byte value)
    {
        var copy = data.ToArray();
        copy[at] = value;
        return copy;
    }
}
