using System.Formats.Tar;
using System.IO.Compression;
using Inference.Packaging.Archive;
using static Inference.Packaging.Tests.Archive.TestArchives;

namespace Inference.Packaging.Tests.Archive;

public sealed class SafeArchiveExtractorTests : IDisposable
{
    private static readonly Lazy<byte[]> FiftyMegabytesOfZeros = new(() =>
        Gzip(Tar(File("zeros.bin", new byte[50 * 1024 * 1024])), CompressionLevel.Optimal));

    private readonly TempDirectory _temp = new();

    private string Destination => _temp.Combine("out");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ExtractsFilesAndFolders()
    {
        var package = TarGz(
            File("manifest.yaml", Text(ManifestText)),
            Folder("model/"),
            File("model/model.onnx", Text("weights")),
            File("middleware/run.sh", Text("#!/bin/sh\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.SetUser),
            Folder("empty/"));

        var result = new SafeArchiveExtractor().Extract(new MemoryStream(package), Destination);

        Assert.Equal(3, result.FileCount);
        Assert.Equal(2, result.DirectoryCount);
        Assert.Equal(ManifestText.Length + "weights".Length + "#!/bin/sh\n".Length, result.TotalBytes);
        Assert.Equal(ManifestText, System.IO.File.ReadAllText(Path.Combine(Destination, "manifest.yaml")));
        Assert.Equal("weights", System.IO.File.ReadAllText(Path.Combine(Destination, "model", "model.onnx")));
        Assert.True(Directory.Exists(Path.Combine(Destination, "empty")));
        if (!OperatingSystem.IsWindows())
        {
            var script = System.IO.File.GetUnixFileMode(Path.Combine(Destination, "middleware", "run.sh"));
            Assert.True(script.HasFlag(UnixFileMode.UserExecute), "the owner-executable bit is carried over");
            Assert.False(script.HasFlag(UnixFileMode.SetUser), "setuid is never carried over");
            Assert.False(System.IO.File.GetUnixFileMode(Path.Combine(Destination, "manifest.yaml")).HasFlag(UnixFileMode.UserExecute));
        }
    }

    [Fact]
    public void AcceptsDotSlashNamesAndTheRootEntry()
    {
        // What "tar -czf p.tar.gz -C folder ." writes.
        var package = TarGz(Folder("./"), File("./manifest.yaml", Text(ManifestText)), Folder("./model/"), File("./model/a.bin", [1, 2, 3]));

        var result = new SafeArchiveExtractor().Extract(new MemoryStream(package), Destination);

        Assert.Equal(2, result.FileCount);
        Assert.Equal([1, 2, 3], System.IO.File.ReadAllBytes(Path.Combine(Destination, "model", "a.bin")));
    }

    [Fact]
    public void IgnoresThePaxGlobalHeaderThatGitArchiveWrites()
    {
        var package = Gzip(Tar(
            new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "0123456789abcdef" }),
            File("manifest.yaml", Text(ManifestText))));

        var result = new SafeArchiveExtractor().Extract(new MemoryStream(package), Destination);

        Assert.Equal(1, result.FileCount);
        Assert.Equal(["manifest.yaml"], Directory.GetFileSystemEntries(Destination).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("/etc/evil", "absolute")]
    [InlineData("../evil", "'..'")]
    [InlineData("a/../../evil", "'..'")]
    [InlineData("a/../evil", "'..'")] // stays inside, refused all the same
    [InlineData("..\\..\\evil", "backslash")]
    [InlineData("a\\b", "backslash")]
    [InlineData("C:evil", "':'")]
    [InlineData("a\u0007b", "control character")]
    [InlineData("a\rb", "control character")]
    public void RefusesUnsafeNames(string name, string reason)
    {
        var package = TarGz(File("manifest.yaml", Text(ManifestText)), File(name, Text("x")));

        var error = ExtractFails(package);

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains($"entry '{name.Replace("\u0007", "\\u0007").Replace("\r", "\\u000D")}'", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.False(System.IO.File.Exists(_temp.Combine("evil")));
    }

    [Fact]
    public void RefusesNulInAName()
    {
        var error = ExtractFails(TarGz(File("a\0b", Text("x"))));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'a\\0b'", error.Message);
        Assert.Contains("NUL", error.Message);
    }

    [Fact]
    public void RefusesASymbolicLinkOutside()
    {
        var package = TarGz(
            File("manifest.yaml", Text(ManifestText)),
            new PaxTarEntry(TarEntryType.SymbolicLink, "passwd") { LinkName = "/etc/passwd" },
            File("passwd", Text("root::0:0::/:/bin/sh\n")));

        var error = ExtractFails(package);

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'passwd' is a symbolic link (to '/etc/passwd')", error.Message);
        Assert.False(System.IO.File.Exists(Path.Combine(Destination, "passwd")));
    }

    [Fact]
    public void RefusesASymbolicLinkInsideToo()
    {
        var package = TarGz(Folder("real/"), new PaxTarEntry(TarEntryType.SymbolicLink, "alias") { LinkName = "real" });

        var error = ExtractFails(package);

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'alias'", error.Message);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside")]
    [InlineData("manifest.yaml")]
    public void RefusesHardLinks(string target)
    {
        var package = TarGz(File("manifest.yaml", Text(ManifestText)), new PaxTarEntry(TarEntryType.HardLink, "linked") { LinkName = target });

        var error = ExtractFails(package);

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains($"entry 'linked' is a hard link (to '{target}')", error.Message);
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice, "device")]
    [InlineData(TarEntryType.BlockDevice, "device")]
    [InlineData(TarEntryType.Fifo, "FIFO")]
    public void RefusesSpecialFiles(TarEntryType type, string what)
    {
        var entry = new PaxTarEntry(type, "special");
        if (type != TarEntryType.Fifo)
        {
            entry.DeviceMajor = 1;
            entry.DeviceMinor = 3;
        }

        var error = ExtractFails(TarGz(entry));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'special'", error.Message);
        Assert.Contains(what, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Destination));
    }

    [Theory]
    [InlineData('S')] // GNU sparse: the reader would hand out the packed data, not the file
    [InlineData('7')] // contiguous file: nothing writes it; refused rather than guessed at
    public void RefusesOtherEntryTypes(char flag)
    {
        var tar = Tar(File("odd.bin", Text("data")));
        var pax = tar.AsSpan(0, 512).ToArray();
        Assert.Equal((byte)'x', pax[156]); // the PAX extended header comes first; the entry's header follows its data block
        SetTypeFlag(tar, 1024, flag);

        var error = ExtractFails(Gzip(tar));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'odd.bin'", error.Message);
    }

    [Theory]
    [InlineData("model.onnx", "model.onnx")]
    [InlineData("model.onnx", "./model.onnx")]
    [InlineData("a/model.onnx", "a//model.onnx")]
    [InlineData("Model.onnx", "model.onnx")] // one file on case-insensitive file systems
    public void RefusesDuplicateFiles(string first, string second)
    {
        var error = ExtractFails(TarGz(File(first, Text("1")), File(second, Text("2"))));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains($"entry '{second}' is a duplicate", error.Message);
        Assert.Equal("1", System.IO.File.ReadAllText(Path.Combine(Destination, first)));
    }

    [Fact]
    public void RefusesADuplicateFolderEntry()
    {
        var error = ExtractFails(TarGz(Folder("model/"), Folder("model")));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'model' is a duplicate", error.Message);
    }

    [Fact]
    public void AcceptsAFolderEntryAfterFilesInsideIt()
    {
        var result = new SafeArchiveExtractor().Extract(new MemoryStream(TarGz(File("model/a", [1]), Folder("model/"))), Destination);

        Assert.Equal(1, result.FileCount);
    }

    [Fact]
    public void RefusesAFileWhereAFolderIs()
    {
        var error = ExtractFails(TarGz(File("model/a", [1]), File("model", [2])));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'model' is a file, but an earlier entry made 'model' a folder", error.Message);
    }

    [Fact]
    public void RefusesAPathThroughAFile()
    {
        var error = ExtractFails(TarGz(File("model", [1]), File("model/a", [2])));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'model/a' is inside 'model'", error.Message);
    }

    [Fact]
    public void RefusesMoreEntriesThanTheLimit()
    {
        var limits = new PackageLimits { MaxEntries = 10 };
        var entries = Enumerable.Range(0, 11).Select(i => (TarEntry)File($"f{i}", [(byte)i])).ToArray();

        var error = ExtractFails(TarGz(entries), limits);

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("entry 'f10' is entry number 11; the limit is 10", error.Message);
    }

    [Fact]
    public void AcceptsExactlyTheEntryLimit()
    {
        var limits = new PackageLimits { MaxEntries = 10 };
        var entries = Enumerable.Range(0, 10).Select(i => (TarEntry)File($"f{i}", [(byte)i])).ToArray();

        var result = new SafeArchiveExtractor(limits).Extract(new MemoryStream(TarGz(entries)), Destination);

        Assert.Equal(10, result.FileCount);
    }

    [Fact]
    public void RefusesAFileLargerThanMaxFileBytes()
    {
        var limits = new PackageLimits { MaxFileBytes = 1000 };

        var error = ExtractFails(TarGz(File("ok.bin", new byte[1000]), File("big.bin", new byte[1001])), limits);

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("entry 'big.bin' is 1001 bytes; the limit is 1000", error.Message);
        Assert.False(System.IO.File.Exists(Path.Combine(Destination, "big.bin")));
    }

    [Fact]
    public void RefusesMoreThanMaxTotalBytes()
    {
        var limits = new PackageLimits { MaxTotalBytes = 1000 };

        var error = ExtractFails(TarGz(File("a", new byte[400]), File("b", new byte[400]), File("c", new byte[400])), limits);

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("entry 'c' would bring the package to 1200 bytes", error.Message);
        Assert.True(TempDirectory.BytesUnder(Destination) <= 1000);
    }

    [Fact]
    public void RefusesANameLongerThanMaxPathLength()
    {
        var limits = new PackageLimits { MaxPathLength = 100 };
        var name = "d/" + new string('n', 99);

        var error = ExtractFails(TarGz(File(name, [1])), limits);

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains($"entry '{name}' has a name of 101 characters; the limit is 100", error.Message);
    }

    [Fact]
    public void StopsAGzipBombEarly()
    {
        var bomb = FiftyMegabytesOfZeros.Value;
        Assert.True(bomb.Length < 100 * 1024, $"the bomb compresses to {bomb.Length} bytes");
        var input = new MemoryStream(bomb);

        var error = ExtractFails(input, new PackageLimits { MaxTotalBytes = 1024 * 1024 });

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("entry 'zeros.bin'", error.Message);
        Assert.True(TempDirectory.BytesUnder(Destination) <= 1024 * 1024, "no more than the limit was written");
        Assert.True(input.Position < bomb.Length / 2, $"read {input.Position} of {bomb.Length} compressed bytes before stopping");
    }

    [Fact]
    public void StopsAGzipBombOfManyFilesEachWithinTheFileLimit()
    {
        var entries = Enumerable.Range(0, 50).Select(i => (TarEntry)File($"zeros{i}.bin", new byte[1024 * 1024])).ToArray();
        var bomb = Gzip(Tar(entries), CompressionLevel.Optimal);
        var input = new MemoryStream(bomb);

        var error = ExtractFails(input, new PackageLimits { MaxTotalBytes = 1024 * 1024 + 1, MaxFileBytes = 1024 * 1024 });

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("entry 'zeros1.bin'", error.Message);
        Assert.True(TempDirectory.BytesUnder(Destination) <= 1024 * 1024 + 1);
        Assert.True(input.Position < bomb.Length / 2, $"read {input.Position} of {bomb.Length} compressed bytes");
    }

    [Fact]
    public void StopsABombHiddenAfterTheEndOfArchiveMarker()
    {
        // No header describes these bytes: only counting what comes out of the decompressor sees them.
        var bomb = GzipWithTrailingZeros(Tar(File("manifest.yaml", Text(ManifestText))), 50L * 1024 * 1024);
        var input = new MemoryStream(bomb);

        var error = ExtractFails(input, new PackageLimits { MaxTotalBytes = 1024 * 1024, MaxEntries = 10 });

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("expands to more than", error.Message);
        Assert.Contains("entry 'manifest.yaml'", error.Message);
        Assert.True(input.Position < bomb.Length / 2, $"read {input.Position} of {bomb.Length} compressed bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // default limits: an 8 GiB package budget must not mean 8 GiB of headers in memory
    public void StopsABombInAPaxHeader(bool defaultLimits)
    {
        // The tar reader reads a PAX record whole into memory before it returns the entry it describes.
        var huge = new PaxTarEntry(TarEntryType.RegularFile, "huge", new Dictionary<string, string> { ["comment"] = RandomLetters(8 * 1024 * 1024) });
        var bomb = Gzip(Tar(File("first.bin", [1]), huge), CompressionLevel.Optimal);
        var input = new MemoryStream(bomb);

        var error = ExtractFails(input, defaultLimits ? null : new PackageLimits { MaxTotalBytes = 1024 * 1024, MaxEntries = 10 });

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("tar headers after entry 'first.bin' take more than", error.Message);
        Assert.True(input.Position < bomb.Length / 10, $"read {input.Position} of {bomb.Length} compressed bytes");
    }

    [Fact]
    public void StopsABombInAGnuLongName()
    {
        var bomb = Gzip(Tar(writer => writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, RandomLetters(4 * 1024 * 1024)))), CompressionLevel.Optimal);
        var input = new MemoryStream(bomb);

        var error = ExtractFails(input);

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("tar headers before its first entry take more than", error.Message);
        Assert.True(input.Position < bomb.Length / 10, $"read {input.Position} of {bomb.Length} compressed bytes");
    }

    [Theory]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    public void AcceptsLongNamesWithinTheLimit(TarEntryFormat format)
    {
        var name = string.Join('/', Enumerable.Repeat(new string('n', 99), 10)); // 999 characters
        var tar = Tar(writer =>
        {
            TarEntry entry = format == TarEntryFormat.Pax
                ? new PaxTarEntry(TarEntryType.RegularFile, name, new Dictionary<string, string> { ["SCHILY.xattr.security.selinux"] = "system_u:object_r:container_file_t:s0" })
                : new GnuTarEntry(TarEntryType.RegularFile, name);
            entry.DataStream = new MemoryStream([42]);
            writer.WriteEntry(entry);
        });

        var result = new SafeArchiveExtractor().Extract(new MemoryStream(Gzip(tar)), Destination);

        Assert.Equal(1, result.FileCount);
        Assert.Equal([42], System.IO.File.ReadAllBytes(Path.Combine(Destination, name)));
    }

    [Fact]
    public void RefusesDataThatIsNotGzip()
    {
        var error = ExtractFails(Tar(File("manifest.yaml", Text(ManifestText))));

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
        Assert.Contains("not a gzip stream", error.Message);
    }

    [Fact]
    public void RefusesAnEmptyStream()
    {
        var error = ExtractFails([]);

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void RefusesGzipThatIsNotTar()
    {
        var error = ExtractFails(Gzip(Text("just some text, no tar header here")));

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void RefusesATruncatedGzipStreamNamingTheEntry(double keep)
    {
        var package = TarGz(File("manifest.yaml", Text(ManifestText)), File("model.bin", TestArchives.Random(200_000, 1)));

        var error = ExtractFails(package[..(int)(package.Length * keep)]);

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
        Assert.Contains("entry 'model.bin'", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(12)]
    public void RefusesAGzipStreamMissingItsEnd(int cut)
    {
        // Cut inside the trailer or the last deflate block: GZipStream itself reports nothing.
        var package = ValidPackage();

        var error = ExtractFails(package[..^cut]);

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
    }

    [Fact]
    public void RefusesAGzipStreamWithABadCrc()
    {
        var package = ValidPackage();
        package[^6] ^= 0x55;

        var error = ExtractFails(package);

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
    }

    [Fact]
    public void RefusesDataAfterTheGzipStream()
    {
        var error = ExtractFails([.. ValidPackage(), .. Text("trailing")]);

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
        Assert.Contains("followed by other data", error.Message);
    }

    [Fact]
    public void RefusesConcatenatedGzipMembers()
    {
        // Only the last member's trailer can be checked, so the truncation check cannot vouch for more
        // than one member; no packaging tool writes several.
        var tar = Tar(File("manifest.yaml", Text(ManifestText)));
        var error = ExtractFails([.. Gzip(tar[..512]), .. Gzip(tar[512..])]);

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
    }

    [Fact]
    public void RefusesATarTruncatedInsideAnEntry()
    {
        var tar = Tar(File("manifest.yaml", Text(ManifestText)), File("model.bin", new byte[10_000]));

        var error = ExtractFails(Gzip(tar[..6000]));

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
        Assert.Contains("entry 'model.bin'", error.Message);
    }

    [Theory]
    [InlineData(100)] // the reader takes a stream that ends right after an entry's padding as a complete archive
    [InlineData(1024)] // no padding: here the reader itself reports the end of the stream
    public void RefusesATarTruncatedBetweenEntries(int size)
    {
        var tar = Tar(File("manifest.yaml", Text(ManifestText)), File("model.bin", new byte[size]));
        var withoutEnd = tar[..^1024];
        Assert.All(tar[^1024..], b => Assert.Equal(0, b));

        var error = ExtractFails(Gzip(withoutEnd));

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("after entry 'model.bin'", error.Message);
    }

    [Fact]
    public void RefusesAFolderThatIsNotEmpty()
    {
        Directory.CreateDirectory(Destination);
        System.IO.File.WriteAllText(Path.Combine(Destination, "left-over"), "x");

        Assert.Throws<ArgumentException>(() => new SafeArchiveExtractor().Extract(new MemoryStream(ValidPackage()), Destination));
    }

    [Fact]
    public void ReadsTheWholeInput()
    {
        var input = new MemoryStream(ValidPackage());

        new SafeArchiveExtractor().Extract(input, Destination);

        Assert.Equal(input.Length, input.Position);
    }

    [Fact]
    public void DamagedArchivesOnlyEverFailWithPackageErrors()
    {
        var tar = Tar(
            File("manifest.yaml", Text(ManifestText)),
            Folder("model/"),
            File("model/model.onnx", TestArchives.Random(3000, 7)),
            File("model/" + new string('l', 150), Text("long name")));
        var random = new Random(1234);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 300; i++)
        {
            // Damage the tar (so the gzip layer is intact and the tar reader sees it) or the gzip bytes.
            byte[] package;
            if (i % 2 == 0)
            {
                var damaged = (byte[])tar.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
                }

                package = Gzip(damaged);
            }
            else
            {
                package = Gzip(tar);
                package[random.Next(package.Length)] ^= (byte)random.Next(1, 256);
                if (i % 3 == 0)
                {
                    package = package[..random.Next(package.Length)];
                }
            }

            var destination = _temp.Combine($"fuzz{i}");
            string outcome;
            try
            {
                new SafeArchiveExtractor().Extract(new MemoryStream(package), destination);
                outcome = "ok";
            }
            catch (PackageException ex)
            {
                outcome = ex.Code.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            Assert.All(
                Directory.EnumerateFileSystemEntries(destination, "*", SearchOption.AllDirectories),
                path => Assert.StartsWith(destination + Path.DirectorySeparatorChar, path));
        }

        Assert.True(outcomes.GetValueOrDefault(nameof(PackageErrorCode.CorruptArchive)) > 0, string.Join(", ", outcomes));
    }

    [Fact]
    public async Task ExtractsAsynchronously()
    {
        var result = await new SafeArchiveExtractor().ExtractAsync(new MemoryStream(ValidPackage()), Destination);

        Assert.Equal(2, result.FileCount);
        Assert.Equal("weights", System.IO.File.ReadAllText(Path.Combine(Destination, "model", "model.onnx")));
    }

    [Fact]
    public async Task RefusesALinkAsynchronously()
    {
        var package = TarGz(new PaxTarEntry(TarEntryType.SymbolicLink, "passwd") { LinkName = "/etc/passwd" });

        var error = await Assert.ThrowsAsync<PackageException>(() => new SafeArchiveExtractor().ExtractAsync(new MemoryStream(package), Destination));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'passwd'", error.Message);
    }

    [Fact]
    public async Task StopsAGzipBombAsynchronously()
    {
        var input = new MemoryStream(FiftyMegabytesOfZeros.Value);

        var error = await Assert.ThrowsAsync<PackageException>(
            () => new SafeArchiveExtractor(new PackageLimits { MaxTotalBytes = 1024 * 1024 }).ExtractAsync(input, Destination));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("entry 'zeros.bin'", error.Message);
        Assert.True(TempDirectory.BytesUnder(Destination) <= 1024 * 1024);
    }

    [Fact]
    public async Task RefusesATruncatedTarAsynchronously()
    {
        var tar = Tar(File("manifest.yaml", Text(ManifestText)), File("model.bin", new byte[10_000]));

        var error = await Assert.ThrowsAsync<PackageException>(
            () => new SafeArchiveExtractor().ExtractAsync(new MemoryStream(Gzip(tar[..6000])), Destination));

        Assert.Equal(PackageErrorCode.CorruptArchive, error.Code);
        Assert.Contains("entry 'model.bin'", error.Message);
    }

    private static string RandomLetters(int length) => string.Create(length, new Random(5), (chars, random) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + random.Next(26));
        }
    });

    private PackageException ExtractFails(byte[] package, PackageLimits? limits = null) => ExtractFails(new MemoryStream(package), limits);

    private PackageException ExtractFails(Stream package, PackageLimits? limits = null) =>
        Assert.Throws<PackageException>(() => new SafeArchiveExtractor(limits).Extract(package, Destination));
}
