using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Inference.Packaging.Archive;

namespace Inference.Packaging.Tests.Archive;

public sealed class PackageWriterTests : IDisposable
{
    private const string PackageName = "demo-1.2.3.tar.gz";

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly TempDirectory _temp = new();

    public PackageWriterTests()
    {
        Directory.CreateDirectory(Source);
        Directory.CreateDirectory(Output);
    }

    private string Source => _temp.Combine("plugin");

    private string Output => _temp.Combine("out");

    private string PackagePath => Path.Combine(Output, PackageName);

    private string InstallRoot => _temp.Combine("installed");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PackingTheSameFolderTwiceGivesTheSameBytesEvenWhenTimesAndModesChange()
    {
        var files = APlugin();
        PutAll(Source, files);
        SetTimes(Source, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        var first = PackageWriter.Write(Source, PackagePath);
        var firstBytes = File.ReadAllBytes(PackagePath);
        var firstSidecar = File.ReadAllText(first.SidecarPath);

        // Touch everything (files and folders) with other times, and vary the non-execute permission bits.
        SetTimes(Source, new DateTime(2024, 11, 12, 13, 14, 15, DateTimeKind.Utc));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(Source, "manifest.yaml"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(Path.Combine(Source, "model", "model.onnx"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.GroupRead);
        }

        Thread.Sleep(1100); // a writer that stamped "now" anywhere would now differ by at least a second
        var second = PackageWriter.Write(Source, PackagePath);

        Assert.Equal(firstBytes, File.ReadAllBytes(PackagePath));
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(firstSidecar, File.ReadAllText(second.SidecarPath));
    }

    [Fact]
    public void TwoFoldersWithTheSameFilesCreatedInAnotherOrderGiveTheSamePackage()
    {
        var files = APlugin();
        var other = _temp.Combine("other");
        PutAll(Source, files);
        PutAll(other, files.Reverse());
        SetTimes(other, new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc));
        var otherPackage = _temp.Combine("out2", PackageName);
        Directory.CreateDirectory(Path.GetDirectoryName(otherPackage)!);

        var a = PackageWriter.Write(Source, PackagePath);
        var b = PackageWriter.Write(other, otherPackage);

        Assert.Equal(File.ReadAllBytes(PackagePath), File.ReadAllBytes(otherPackage));
        Assert.Equal(a.Digest, b.Digest);
    }

    [Fact]
    public void NoEntryHeaderDependsOnTheWritingProcess()
    {
        // PAX extended headers are named after the writing process's id by .NET, so packs from two
        // processes would differ; the raw archive must hold no such header, long names included.
        PutAll(Source, APlugin());
        var longName = "model/" + new string('w', 150) + ".bin";
        Put(Source, longName, [1, 2, 3]);

        PackageWriter.Write(Source, PackagePath);

        using var file = File.OpenRead(PackagePath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gzip.CopyTo(raw);
        var text = Encoding.Latin1.GetString(raw.ToArray());
        Assert.DoesNotContain("PaxHeaders", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/", text, StringComparison.Ordinal);
        Assert.Contains(ReadEntries(PackagePath), e => e.Name == longName);
    }

    [Fact]
    public void EntriesAreSortedOwnedByRootAndDatedAtTheFixedTime()
    {
        PutAll(Source, APlugin());
        SetTimes(Source, new DateTime(2020, 6, 7, 8, 9, 10, DateTimeKind.Utc));

        PackageWriter.Write(Source, PackagePath);

        var entries = ReadEntries(PackagePath);
        Assert.Equal(
            ["docs/", "docs/read me \u00e9.txt", "empty.txt", "manifest.yaml", "model/", "model/model.onnx", "model/v1/", "model/v1/deep/", "model/v1/deep/weights.bin"],
            entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), e.ModificationTime);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal(e.Name.EndsWith('/') ? TarEntryType.Directory : TarEntryType.RegularFile, e.EntryType);
        });
    }

    [Fact]
    public void TheSidecarIsMd5sumOutputForThePackage()
    {
        PutAll(Source, APlugin());

        var result = PackageWriter.Write(Source, PackagePath);

        var expected = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(PackagePath)));
        Assert.Equal(PackagePath + ".md5", result.SidecarPath);
        Assert.Equal($"{expected}  {PackageName}\n", File.ReadAllText(result.SidecarPath));
        Assert.Equal(expected, result.Digest.ToString());
        Assert.Equal(expected, Md5Digest.ReadSidecar(PackagePath).ToString());
    }

    [Fact]
    public void TheResultSaysWhatWentIn()
    {
        var files = APlugin();
        PutAll(Source, files);

        var result = PackageWriter.Write(Source, PackagePath);

        Assert.Equal(PackagePath, result.PackagePath);
        Assert.Equal(files.Count, result.FileCount);
        Assert.Equal(files.Sum(f => (long)f.Value.Length), result.ContentBytes);
        Assert.Equal(new FileInfo(PackagePath).Length, result.PackageBytes);
        Assert.True(result.PackageBytes > 0);
    }

    [Fact]
    public void InstallingThePackageGivesBackExactlyTheFiles()
    {
        var files = APlugin();
        PutAll(Source, files);

        PackageWriter.Write(Source, PackagePath);
        var installed = new PackageInstaller(InstallRoot).Install(PackagePath);

        AssertTree(files, installed.Directory);
        Assert.Equal(files.Count, installed.Contents.FileCount);
        Assert.Equal(files.Sum(f => (long)f.Value.Length), installed.Contents.TotalBytes);
    }

    [Fact]
    public void LeavesOutSourcesBuildOutputHiddenFilesAndEarlierPackages()
    {
        var kept = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["manifest.yaml"] = TestArchives.Text(TestArchives.ManifestText),
            ["model/src/x.py"] = TestArchives.Text("nested src is kept"),
            ["model/bin/w.bin"] = [1, 2, 3],
            ["model/obj/o"] = [4],
            ["lib/sdk/s.so"] = [5],
            ["src.txt"] = TestArchives.Text("a file named like the folder"),
            ["sdk"] = TestArchives.Text("a file, not a folder"),
            ["model/old-0.9.0.tar.gz"] = [6],
            ["model/x.partial"] = [7],
            ["lib/y.tar.gz.md5"] = [8],
            ["notes.tar"] = [9],
        };
        PutAll(Source, kept);
        PutAll(Source, new Dictionary<string, byte[]>
        {
            ["src/Plugin.cs"] = [1],
            ["src/deep/more.cs"] = [1],
            ["obj/project.assets.json"] = [1],
            ["bin/Debug/Plugin.dll"] = [1],
            [".git/config"] = [1],
            [".env"] = [1],
            ["model/.cache/blob"] = [1],
            ["model/.DS_Store"] = [1],
            ["lib/.hidden/a.so"] = [1],
            ["demo-1.2.2.tar.gz"] = [1],
            ["demo-1.2.2.tar.gz.md5"] = [1],
            ["demo-1.2.3.tar.gz.partial"] = [1],
            ["leftover.partial"] = [1],
        });

        var listed = PackageWriter.ListFiles(Source);
        var result = PackageWriter.Write(Source, PackagePath);
        var installed = new PackageInstaller(InstallRoot).Install(PackagePath);

        Assert.Equal(kept.Keys, listed);
        Assert.Equal(kept.Count, result.FileCount);
        Assert.Equal(kept.Keys, ReadEntries(PackagePath).Where(e => e.EntryType != TarEntryType.Directory).Select(e => e.Name));
        AssertTree(kept, installed.Directory);
    }

    [Fact]
    public void APackageWrittenIntoTheFolderItselfIsNotPackedNextTime()
    {
        PutAll(Source, APlugin());
        var inside = Path.Combine(Source, PackageName);

        var first = PackageWriter.Write(Source, inside);
        var firstBytes = File.ReadAllBytes(inside);
        var second = PackageWriter.Write(Source, inside);

        Assert.Equal(firstBytes, File.ReadAllBytes(inside));
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.FileCount, second.FileCount);
        Assert.DoesNotContain(PackageWriter.ListFiles(Source), f => f.Contains(".tar.gz", StringComparison.Ordinal));
    }

    [Fact]
    public void ListFilesIsSortedOrdinallyWithSlashes()
    {
        foreach (var name in new[] { "b", "a0", "a/c", "a.d", "C", "a-b", "a/B/z" })
        {
            Put(Source, name, [1]);
        }

        var listed = PackageWriter.ListFiles(Source);

        // Ordinal: upper case before lower case, and '-' < '.' < '/' < '0'.
        Assert.Equal(["C", "a-b", "a.d", "a/B/z", "a/c", "a0", "b"], listed);
    }

    [Fact]
    public void ListFilesAcceptsATrailingSeparatorAndARelativePath()
    {
        PutAll(Source, APlugin());
        var expected = PackageWriter.ListFiles(Source);

        Assert.Equal(expected, PackageWriter.ListFiles(Source + Path.DirectorySeparatorChar));
        Assert.Equal(expected, PackageWriter.ListFiles(Path.GetRelativePath(Environment.CurrentDirectory, Source)));
        Assert.Equal(APlugin().Keys, expected);
    }

    [Fact]
    public void AnExecutableKeepsItsExecuteBitAndAPlainFileGetsNone()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        PutAll(Source, APlugin());
        var script = Put(Source, "middleware/run.sh", TestArchives.Text("#!/bin/sh\necho hi\n"));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(Source, "model", "model.onnx"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        PackageWriter.Write(Source, PackagePath);
        var installed = new PackageInstaller(InstallRoot).Install(PackagePath);

        var entries = ReadEntries(PackagePath).ToDictionary(e => e.Name);
        Assert.Equal(Executable, entries["middleware/run.sh"].Mode);
        Assert.Equal(UnixFileMode.None, entries["model/model.onnx"].Mode & AnyExecute);
        Assert.True(File.GetUnixFileMode(Path.Combine(installed.Directory, "middleware", "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(installed.Directory, "model", "model.onnx")) & AnyExecute);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(installed.Directory, "manifest.yaml")) & AnyExecute);
    }

    [Fact]
    public void RefusesALinkToAFile()
    {
        PutAll(Source, APlugin());
        var target = Put(_temp.Path, "elsewhere/real.onnx", [1, 2]);
        File.CreateSymbolicLink(Path.Combine(Source, "model", "linked.onnx"), target);

        var listError = Assert.Throws<PackageException>(() => PackageWriter.ListFiles(Source));
        var writeError = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath));

        foreach (var error in new[] { listError, writeError })
        {
            Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
            Assert.Contains("'model/linked.onnx'", error.Message, StringComparison.Ordinal);
        }

        AssertNothingWritten();
    }

    [Fact]
    public void RefusesALinkToAFolder()
    {
        PutAll(Source, APlugin());
        Put(_temp.Path, "elsewhere/data/a.bin", [1]);
        Directory.CreateSymbolicLink(Path.Combine(Source, "data"), _temp.Combine("elsewhere", "data"));

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("'data'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void RefusesADanglingLink()
    {
        PutAll(Source, APlugin());
        File.CreateSymbolicLink(Path.Combine(Source, "model", "gone.onnx"), _temp.Combine("nowhere.onnx"));

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("'model/gone.onnx'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void RefusesMoreFilesThanMaxEntries()
    {
        Put(Source, "manifest.yaml", TestArchives.Text(TestArchives.ManifestText));
        for (var i = 0; i < 6; i++)
        {
            Put(Source, $"f{i}.bin", [(byte)i]);
        }

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath, new PackageLimits { MaxEntries = 5 }));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("7", error.Message, StringComparison.Ordinal);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void CountsFoldersAsEntriesAsTheInstallerDoes()
    {
        // 4 files in 2 folders: 6 tar entries, which an installer limited to 5 entries refuses.
        Put(Source, "manifest.yaml", TestArchives.Text(TestArchives.ManifestText));
        Put(Source, "a/1.bin", [1]);
        Put(Source, "a/2.bin", [2]);
        Put(Source, "b/3.bin", [3]);
        var limits = new PackageLimits { MaxEntries = 5 };

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath, limits));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("6", error.Message, StringComparison.Ordinal);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void APackageAtEveryLimitIsWrittenAndInstallsUnderTheSameLimits()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["manifest.yaml"] = TestArchives.Text(TestArchives.ManifestText),
            ["a/1.bin"] = TestArchives.Random(1000, 1),
            ["a/2.bin"] = TestArchives.Random(700, 2),
            ["b/three.bin"] = TestArchives.Random(10, 3),
        };
        PutAll(Source, files);
        var limits = new PackageLimits
        {
            MaxEntries = 6, // 4 files and 2 folders
            MaxFileBytes = 1000,
            MaxTotalBytes = files.Sum(f => (long)f.Value.Length),
            MaxPathLength = "manifest.yaml".Length, // the longest path
        };

        var result = PackageWriter.Write(Source, PackagePath, limits);
        var installed = new PackageInstaller(InstallRoot, limits).Install(PackagePath);

        Assert.Equal(4, result.FileCount);
        AssertTree(files, installed.Directory);
    }

    [Fact]
    public void RefusesAFileOverMaxFileBytes()
    {
        PutAll(Source, APlugin());
        Put(Source, "model/huge.bin", new byte[1001]);

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath, new PackageLimits { MaxFileBytes = 1000 }));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("'model/huge.bin'", error.Message, StringComparison.Ordinal);
        Assert.Contains("1001", error.Message, StringComparison.Ordinal);
        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void RefusesATotalOverMaxTotalBytes()
    {
        Put(Source, "manifest.yaml", TestArchives.Text(TestArchives.ManifestText));
        Put(Source, "a.bin", new byte[4000]);
        Put(Source, "b.bin", new byte[4000]);
        var total = TestArchives.ManifestText.Length + 8000;

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath, new PackageLimits { MaxTotalBytes = total - 1 }));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains(total.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains((total - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void RefusesAPathOverTheDefaultMaxPathLength()
    {
        PutAll(Source, APlugin());
        var longPath = string.Join('/', Enumerable.Range(0, 6).Select(i => new string((char)('a' + i), 200))) + "/weights.bin";
        Put(Source, longPath, [1]);

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains(longPath.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
        Assert.Contains(longPath[..50], error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void RefusesAShortPathOverASmallMaxPathLength()
    {
        Put(Source, "manifest.yaml", TestArchives.Text(TestArchives.ManifestText));
        Put(Source, "model/weights.onnx", [1]);

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath, new PackageLimits { MaxPathLength = 15 }));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("model/weights.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("18", error.Message, StringComparison.Ordinal);
        Assert.Contains("15", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData("model/a:b.onnx", "a:b.onnx")]
    [InlineData("model/back\\slash.onnx", "back\\slash.onnx")]
    [InlineData("model/new\nline.onnx", "new\\u000Aline.onnx")]
    public void RefusesANameThatTheInstallerRefuses(string name, string shown)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        PutAll(Source, APlugin());
        Put(Source, name, [1]);

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains($"'model/{shown}'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData("model/Model.onnx", "model/Model.onnx", "model/model.onnx")]
    [InlineData("Model/x.bin", "Model", "model")]
    public void RefusesNamesThatDifferOnlyInCase(string other, string clash, string existing)
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            return;
        }

        PutAll(Source, APlugin());
        Put(Source, other, [1]);

        var error = Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains($"'{clash}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{existing}'", error.Message, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void AFailureKeepsAnEarlierPackageAndLeavesNoPartialFile()
    {
        PutAll(Source, APlugin());
        PackageWriter.Write(Source, PackagePath);
        var earlier = File.ReadAllBytes(PackagePath);
        var earlierSidecar = File.ReadAllText(PackagePath + ".md5");
        Put(Source, "model/huge.bin", new byte[2000]);

        Assert.Throws<PackageException>(() => PackageWriter.Write(Source, PackagePath, new PackageLimits { MaxFileBytes = 1999 }));

        Assert.Equal(earlier, File.ReadAllBytes(PackagePath));
        Assert.Equal(earlierSidecar, File.ReadAllText(PackagePath + ".md5"));
        Assert.False(File.Exists(PackagePath + ".partial"));
    }

    [Fact]
    public void ReportsProgressUpToTheContentBytes()
    {
        var files = APlugin();
        files["model/big.bin"] = TestArchives.HalfCompressible(3 * 1024 * 1024, 5);
        PutAll(Source, files);
        var reports = new List<long>();

        var result = PackageWriter.Write(Source, PackagePath, progress: new SynchronousProgress(reports.Add));

        var total = files.Sum(f => (long)f.Value.Length);
        Assert.NotEmpty(reports);
        Assert.Equal(reports.Order(), reports);
        Assert.True(reports.Distinct().Count() >= files.Count(f => f.Value.Length > 0), string.Join(", ", reports));
        Assert.All(reports, r => Assert.InRange(r, 0, total));
        Assert.Equal(total, reports[^1]);
        Assert.Equal(total, result.ContentBytes);
    }

    [Fact]
    public void APreCancelledTokenStopsThePackAndLeavesNothing()
    {
        PutAll(Source, APlugin());
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => PackageWriter.Write(Source, PackagePath, cancellationToken: cancellation.Token));

        AssertNothingWritten();
    }

    [Fact]
    public void CancellingMidwayStopsThePackAndLeavesNothing()
    {
        var files = APlugin();
        for (var i = 0; i < 5; i++)
        {
            files[$"model/part{i}.bin"] = TestArchives.Random(64 * 1024, i);
        }

        PutAll(Source, files);
        using var cancellation = new CancellationTokenSource();
        var reports = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => PackageWriter.Write(
            Source,
            PackagePath,
            progress: new SynchronousProgress(_ =>
            {
                if (++reports == 2)
                {
                    cancellation.Cancel();
                }
            }),
            cancellationToken: cancellation.Token));

        Assert.Equal(2, reports);
        AssertNothingWritten();
    }

    /// <summary>A small plugin with nested folders, an empty file and a name with a space and a non-ASCII letter.</summary>
    private static SortedDictionary<string, byte[]> APlugin() => new(StringComparer.Ordinal)
    {
        ["manifest.yaml"] = TestArchives.Text(TestArchives.ManifestText),
        ["model/model.onnx"] = TestArchives.Random(4096, 7),
        ["model/v1/deep/weights.bin"] = TestArchives.HalfCompressible(300 * 1024, 9),
        ["docs/read me \u00e9.txt"] = Encoding.UTF8.GetBytes("caf\u00e9\n"),
        ["empty.txt"] = [],
    };

    private static string Put(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void PutAll(string root, IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        foreach (var (name, bytes) in files)
        {
            Put(root, name, bytes);
        }
    }

    private static void SetTimes(string root, DateTime time)
    {
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, time);
            File.SetLastAccessTimeUtc(file, time);
        }

        foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            Directory.SetLastWriteTimeUtc(folder, time);
        }
    }

    private static List<TarEntry> ReadEntries(string packagePath)
    {
        using var file = File.OpenRead(packagePath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>The folder holds exactly <paramref name="expected"/>, byte for byte.</summary>
    private static void AssertTree(IDictionary<string, byte[]> expected, string folder)
    {
        var actual = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual);
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, name))), $"'{name}' differs");
        }
    }

    /// <summary>The output folder is as it was: no package, no sidecar, no .partial.</summary>
    private void AssertNothingWritten() => Assert.Empty(Directory.GetFileSystemEntries(Output));

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, which would race the asserts).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
