using System.Formats.Tar;
using Inference.Packaging.Archive;
using static Inference.Packaging.Tests.Archive.TestArchives;

namespace Inference.Packaging.Tests.Archive;

public sealed class PackageInstallerTests : IDisposable
{
    private const string PackageName = "demo-1.2.3.tar.gz";

    private readonly TempDirectory _temp = new();

    private string Root => _temp.Combine("installed");

    private string Staging => Path.Combine(Root, ".staging");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("manifest.yaml")]
    [InlineData("manifest.yml")]
    [InlineData("manifest.json")]
    public void InstallsAPackageWithItsManifest(string manifest)
    {
        var bytes = TarGz(File(manifest, Text(ManifestText)), Folder("model/"), File("model/model.onnx", Text("weights")), File("middleware/decoder.py", Text("pass")));
        var path = WritePackage(PackageName, bytes);

        var installed = new PackageInstaller(Root).Install(path);

        var target = Path.Combine(Root, "demo", "1.2.3");
        Assert.Equal(target, installed.Directory);
        Assert.Equal(Path.Combine(target, manifest), installed.ManifestPath);
        Assert.Equal("demo", installed.Package.Service);
        Assert.Equal("1.2.3", installed.Package.Version);
        Assert.Equal(Md5Digest.Compute(bytes), installed.Md5);
        Assert.Equal(bytes.Length, installed.PackageBytes);
        Assert.Equal(3, installed.Contents.FileCount);
        Assert.False(installed.Replaced);
        Assert.Equal(ManifestText, System.IO.File.ReadAllText(installed.ManifestPath));
        Assert.Equal("weights", System.IO.File.ReadAllText(Path.Combine(target, "model", "model.onnx")));
        Assert.Equal("pass", System.IO.File.ReadAllText(Path.Combine(target, "middleware", "decoder.py")));
        AssertStagingEmpty();
    }

    [Theory]
    [InlineData("{0}  {1}\n")]
    [InlineData("{0} {1}")]
    [InlineData("{0} *{1}\n")]
    [InlineData("{0}")]
    [InlineData("{2}  {1}\r\n")]
    [InlineData("{0}  ./dist/{1}\n")]
    public void ReadsTheSidecarInItsFormats(string format)
    {
        var bytes = ValidPackage();
        var digest = Md5Digest.Compute(bytes).ToString();
        var path = WritePackage(PackageName, bytes, string.Format(format, digest, PackageName, digest.ToUpperInvariant()));

        var installed = new PackageInstaller(Root).Install(path);

        Assert.Equal(digest, installed.Md5.ToString());
    }

    [Fact]
    public void TakesTheCallersDigestInsteadOfTheSidecar()
    {
        var bytes = ValidPackage();
        var path = WritePackage(PackageName, bytes, sidecar: "d41d8cd98f00b204e9800998ecf8427e  " + PackageName);

        var installed = new PackageInstaller(Root).Install(path, Md5Digest.Compute(bytes));

        Assert.True(Directory.Exists(installed.Directory));
    }

    [Fact]
    public void RefusesAPackageWithoutADigest()
    {
        var path = WritePackage(PackageName, ValidPackage(), sidecar: null);

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.DigestMissing, error.Code);
        Assert.Contains(PackageName + ".md5", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void RefusesADigestMismatchAndLeavesNothing()
    {
        var bytes = ValidPackage();
        var wrong = Md5Digest.Compute("something else"u8);
        var path = WritePackage(PackageName, bytes, sidecar: wrong.ToSidecarLine(PackageName));

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.DigestMismatch, error.Code);
        Assert.Contains($"'{PackageName}'", error.Message);
        Assert.Contains($"MD5 {Md5Digest.Compute(bytes)}, expected {wrong}", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void ReportsADamagedDownloadAsAMismatchEvenWhenExtractionFails()
    {
        var bytes = ValidPackage();
        var path = WritePackage(PackageName, bytes[..(bytes.Length / 2)], sidecar: Md5Digest.Compute(bytes).ToSidecarLine(PackageName));

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.DigestMismatch, error.Code);
        Assert.Contains("extraction also failed", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void RefusesAHostilePackageWhoseDigestMatchesAndLeavesNothing()
    {
        var path = WritePackage(PackageName, TarGz(
            File("manifest.yaml", Text(ManifestText)),
            new PaxTarEntry(TarEntryType.SymbolicLink, "model") { LinkName = "/etc" },
            File("model/passwd", Text("x"))));

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'model'", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void RefusesAGzipBombAndLeavesNothing()
    {
        var path = WritePackage(PackageName, Gzip(Tar(File("manifest.yaml", Text(ManifestText)), File("zeros.bin", new byte[20 * 1024 * 1024])), System.IO.Compression.CompressionLevel.Optimal));

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root, new PackageLimits { MaxTotalBytes = 1024 * 1024 }).Install(path));

        Assert.Equal(PackageErrorCode.LimitExceeded, error.Code);
        Assert.Contains("entry 'zeros.bin'", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void RefusesAPackageWithoutAManifest()
    {
        var path = WritePackage(PackageName, TarGz(File("model.onnx", Text("weights")), File("Manifest.yaml", Text(ManifestText))));

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.ManifestMissing, error.Code);
        Assert.Contains($"'{PackageName}' has no manifest", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void SaysWhereTheManifestIsWhenTheFolderWasPackedInsteadOfItsContents()
    {
        var path = WritePackage(PackageName, TarGz(Folder("demo/"), File("demo/manifest.yaml", Text(ManifestText))));

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.ManifestMissing, error.Code);
        Assert.Contains("inside 'demo/'", error.Message);
    }

    [Fact]
    public void RefusesTwoManifests()
    {
        var path = WritePackage(PackageName, TarGz(File("manifest.yaml", Text(ManifestText)), File("manifest.json", Text("{}"))));

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.ManifestMissing, error.Code);
        Assert.Contains("manifest.yaml and manifest.json", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void RefusesABadFileName()
    {
        var path = WritePackage("demo.tar.gz", ValidPackage());

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path));

        Assert.Equal(PackageErrorCode.BadFileName, error.Code);
        Assert.Contains("'demo.tar.gz'", error.Message);
    }

    [Fact]
    public void ReportsAMissingPackageFile()
    {
        var path = _temp.Combine(PackageName);

        var error = Assert.Throws<PackageException>(() => new PackageInstaller(Root).Install(path, Md5Digest.Compute("x"u8)));

        Assert.Equal(PackageErrorCode.Io, error.Code);
        Assert.Contains(path, error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public void RefusesToInstallTheSameVersionTwice()
    {
        var installer = new PackageInstaller(Root);
        var first = installer.Install(WritePackage(PackageName, ValidPackage("first")));
        var second = WritePackage(PackageName, ValidPackage("second"), folder: "other");

        var error = Assert.Throws<PackageException>(() => installer.Install(second));

        Assert.Equal(PackageErrorCode.AlreadyInstalled, error.Code);
        Assert.Contains($"'{PackageName}'", error.Message);
        Assert.Equal("first", System.IO.File.ReadAllText(Path.Combine(first.Directory, "model", "model.onnx")));
        AssertStagingEmpty();
    }

    [Fact]
    public void ReplacesAnInstalledVersionWhenAsked()
    {
        var installer = new PackageInstaller(Root);
        installer.Install(WritePackage(PackageName, TarGz(File("manifest.yaml", Text(ManifestText)), File("old-only.bin", [1]))));
        var second = WritePackage(PackageName, ValidPackage("second"), folder: "other");

        var installed = installer.Install(second, replace: true);

        Assert.True(installed.Replaced);
        Assert.Equal("second", System.IO.File.ReadAllText(Path.Combine(installed.Directory, "model", "model.onnx")));
        Assert.False(System.IO.File.Exists(Path.Combine(installed.Directory, "old-only.bin")));
        Assert.Equal(["1.2.3"], Directory.GetDirectories(Path.Combine(Root, "demo")).Select(Path.GetFileName));
        AssertStagingEmpty();
    }

    [Fact]
    public void KeepsTheInstalledVersionWhenItsReplacementIsRefused()
    {
        var installer = new PackageInstaller(Root);
        installer.Install(WritePackage(PackageName, ValidPackage("first")));
        var hostile = WritePackage(PackageName, TarGz(File("manifest.yaml", Text(ManifestText)), File("../escape", [1])), folder: "other");

        var error = Assert.Throws<PackageException>(() => installer.Install(hostile, replace: true));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Equal("first", System.IO.File.ReadAllText(Path.Combine(Root, "demo", "1.2.3", "model", "model.onnx")));
        AssertStagingEmpty();
    }

    [Fact]
    public async Task InstallsDifferentPackagesConcurrently()
    {
        var installer = new PackageInstaller(Root);
        var packages = Enumerable.Range(0, 8)
            .Select(i => WritePackage($"svc{i % 4}-1.0.{i / 4}.tar.gz", ValidPackage($"model {i}")))
            .ToList();

        var installed = await Task.WhenAll(packages.Select(path => Task.Run(() => installer.Install(path))));

        Assert.Equal(8, installed.Select(p => p.Directory).Distinct().Count());
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal($"model {i}", System.IO.File.ReadAllText(Path.Combine(Root, $"svc{i % 4}", $"1.0.{i / 4}", "model", "model.onnx")));
        }

        AssertStagingEmpty();
    }

    [Fact]
    public async Task InstallsTheSamePackageOnceWhenRacing()
    {
        var installer = new PackageInstaller(Root);
        var path = WritePackage(PackageName, ValidPackage());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            try
            {
                installer.Install(path);
                return "installed";
            }
            catch (PackageException ex) when (ex.Code == PackageErrorCode.AlreadyInstalled)
            {
                return "refused";
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "installed"));
        Assert.Equal(5, outcomes.Count(o => o == "refused"));
        AssertStagingEmpty();
    }

    [Fact]
    public void ReportsProgress()
    {
        var bytes = TarGz(File("manifest.yaml", Text(ManifestText)), File("model.bin", TestArchives.Random(5 * 1024 * 1024, 11)));
        var path = WritePackage(PackageName, bytes);
        var reports = new List<long>();

        new PackageInstaller(Root).Install(path, progress: new SynchronousProgress(reports.Add));

        Assert.True(reports.Count >= 4, $"{reports.Count} reports");
        Assert.Equal(reports.Order(), reports);
        Assert.Equal(reports.Distinct(), reports);
        Assert.Equal(bytes.Length, reports[^1]);
    }

    [Fact]
    public async Task InstallsAnUpload()
    {
        var bytes = ValidPackage();
        var reports = new List<long>();

        var installed = await new PackageInstaller(Root).InstallAsync(
            new NonSeekableStream(bytes), PackageName, Md5Digest.Compute(bytes), progress: new SynchronousProgress(reports.Add));

        Assert.Equal("weights", System.IO.File.ReadAllText(Path.Combine(installed.Directory, "model", "model.onnx")));
        Assert.Equal(bytes.Length, installed.PackageBytes);
        Assert.Equal(bytes.Length, reports[^1]);
        AssertStagingEmpty();
    }

    [Fact]
    public async Task RefusesAnUploadWithTheWrongDigest()
    {
        var bytes = ValidPackage();

        var error = await Assert.ThrowsAsync<PackageException>(
            () => new PackageInstaller(Root).InstallAsync(new NonSeekableStream(bytes), PackageName, Md5Digest.Compute("other"u8)));

        Assert.Equal(PackageErrorCode.DigestMismatch, error.Code);
        Assert.Contains($"'{PackageName}'", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task RefusesAHostileUpload()
    {
        var bytes = TarGz(File("manifest.yaml", Text(ManifestText)), new PaxTarEntry(TarEntryType.Fifo, "pipe"));

        var error = await Assert.ThrowsAsync<PackageException>(
            () => new PackageInstaller(Root).InstallAsync(new NonSeekableStream(bytes), PackageName, Md5Digest.Compute(bytes)));

        Assert.Equal(PackageErrorCode.UnsafeEntry, error.Code);
        Assert.Contains("entry 'pipe'", error.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task CancelsAnUploadAndLeavesNothing()
    {
        var bytes = ValidPackage();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new PackageInstaller(Root).InstallAsync(new NonSeekableStream(bytes), PackageName, Md5Digest.Compute(bytes), cancellationToken: cancellation.Token));

        AssertNothingInstalled();
    }

    [Fact]
    public void RemovesStaleStagingAtConstruction()
    {
        var stale = Path.Combine(Staging, "0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(stale, "model"));
        System.IO.File.WriteAllText(Path.Combine(stale, "model", "half.onnx"), "half");
        System.IO.File.WriteAllText(stale + ".lock", "");
        Directory.CreateDirectory(Path.Combine(Staging, "fedcba9876543210.old"));

        _ = new PackageInstaller(Root);

        AssertStagingEmpty();
    }

    [Fact]
    public void LeavesTheStagingOfALiveInstallAlone()
    {
        Directory.CreateDirectory(Root);
        using var live = StagingArea.Create(Root);
        System.IO.File.WriteAllText(Path.Combine(live.Path, "partial.bin"), "in progress");

        _ = new PackageInstaller(Root);

        Assert.True(System.IO.File.Exists(Path.Combine(live.Path, "partial.bin")));
        live.Dispose();
        AssertStagingEmpty();
    }

    private string WritePackage(string fileName, byte[] bytes, string? sidecar = "", string folder = "packages")
    {
        var path = _temp.Combine(folder, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        if (sidecar is not null)
        {
            System.IO.File.WriteAllText(path + ".md5", sidecar.Length > 0 ? sidecar : Md5Digest.Compute(bytes).ToSidecarLine(fileName) + "\n");
        }

        return path;
    }

    /// <summary>Nothing in the install root but the staging area, and that empty.</summary>
    private void AssertNothingInstalled()
    {
        Assert.Equal([".staging"], Directory.GetFileSystemEntries(Root).Select(Path.GetFileName));
        AssertStagingEmpty();
    }

    private void AssertStagingEmpty() => Assert.Empty(Directory.GetFileSystemEntries(Staging));

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, which would race the asserts).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>An upload: no length, no seeking.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
