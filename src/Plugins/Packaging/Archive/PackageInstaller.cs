using System.Buffers;

namespace Inference.Packaging.Archive;

/// <summary>
/// Installs a package into <c>&lt;root&gt;/&lt;service&gt;/&lt;version&gt;</c>: checks its MD5, extracts it
/// safely into a staging folder, checks the manifest is there, and only then renames the staging folder
/// into place. Any failure leaves the install root as it was (no half-installed version).
/// </summary>
/// <remarks>
/// <para>Single pass: the MD5 is computed over the compressed bytes as the extractor reads them, and
/// compared after extraction, before anything is moved into place; a mismatch deletes the staging
/// folder. When extraction itself fails, the rest of the file is still hashed: if the digest does not
/// match either, the package is reported as <see cref="PackageErrorCode.DigestMismatch"/>, because a
/// damaged transfer is the likelier cause of what the extractor found.</para>
/// <para>One instance may run installs concurrently; several processes may share a root (staging folders
/// are guarded by lock files, see <see cref="StagingArea"/>; the final rename refuses to replace an
/// existing install unless asked).</para>
/// </remarks>
public sealed class PackageInstaller
{
    /// <summary>The names a manifest may have, at the package root; exactly one must be there.</summary>
    public static readonly IReadOnlyList<string> ManifestFileNames = ["manifest.yaml", "manifest.yml", "manifest.json"];

    /// <summary>The package file is read in large chunks: MD5 and inflate run faster on them than on the gzip stream's 8 KiB.</summary>
    private const int ReadBufferSize = 1 << 20;

    private const int DrainBufferSize = 64 * 1024;

    private readonly SafeArchiveExtractor _extractor;

    // Serialises the check-then-rename of the final step within this process, so two installs of the same
    // version cannot both see "not installed"; between processes the rename itself refuses an existing folder.
    private readonly Lock _placement = new();

    /// <summary>Creates the root if needed and removes staging folders left by installs that died.</summary>
    public PackageInstaller(string installRoot, PackageLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(installRoot);
        InstallRoot = Path.GetFullPath(installRoot);
        _extractor = new SafeArchiveExtractor(limits);
        try
        {
            Directory.CreateDirectory(StagingArea.RootFor(InstallRoot));
            StagingArea.CleanStale(InstallRoot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException(PackageErrorCode.Io, $"cannot prepare install root '{InstallRoot}': {ex.Message}", ex);
        }
    }

    public string InstallRoot { get; }

    public PackageLimits Limits => _extractor.Limits;

    /// <summary>Where a package is (or would be) installed.</summary>
    public string InstallPathFor(PackageFileName package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return Path.Combine(InstallRoot, package.Service, package.Version);
    }

    /// <summary>Installs the package file at <paramref name="packagePath"/>.</summary>
    /// <param name="expectedMd5">The digest the caller vouches for; null to read the sidecar <c>&lt;packagePath&gt;.md5</c>.</param>
    /// <param name="replace">Replace an existing install of the same service and version instead of refusing.</param>
    /// <param name="progress">Receives the count of package bytes read so far (about every MiB, and at the end).</param>
    /// <exception cref="PackageException">The package is refused; nothing was installed.</exception>
    public InstalledPackage Install(
        string packagePath,
        Md5Digest? expectedMd5 = null,
        bool replace = false,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        var package = PackageFileName.Parse(Path.GetFileName(packagePath));
        var expected = expectedMd5 ?? Md5Digest.ReadSidecar(packagePath);
        RefuseIfInstalled(package, replace);

        using var staging = CreateStaging();
        using var file = OpenPackage(packagePath);
        using var hashing = new HashingReadStream(file, progress);
        ExtractionResult contents;
        try
        {
            contents = _extractor.Extract(hashing, staging.Path, cancellationToken);
        }
        catch (PackageException refused)
        {
            if (TryFinishDigest(hashing) is { } actual && actual != expected)
            {
                throw MismatchBehind(refused, package, expected, actual);
            }

            throw;
        }

        try
        {
            hashing.DrainToEnd(new byte[DrainBufferSize]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException(PackageErrorCode.Io, $"reading package '{package}' failed: {ex.Message}", ex);
        }

        return Commit(package, expected, hashing, contents, staging, replace);
    }

    /// <summary>Installs a package arriving as a stream (an upload), whose file name and MD5 the uploader gives.</summary>
    /// <param name="package">Read to its end; not disposed.</param>
    /// <param name="packageFileName"><c>&lt;service&gt;-&lt;version&gt;.tar.gz</c>.</param>
    /// <inheritdoc cref="Install" path="/param[@name='replace']|/param[@name='progress']|/exception"/>
    public async Task<InstalledPackage> InstallAsync(
        Stream package,
        string packageFileName,
        Md5Digest expectedMd5,
        bool replace = false,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(expectedMd5);
        var name = PackageFileName.Parse(packageFileName);
        RefuseIfInstalled(name, replace);

        using var staging = CreateStaging();
        using var hashing = new HashingReadStream(package, progress);
        ExtractionResult contents;
        try
        {
            contents = await _extractor.ExtractAsync(hashing, staging.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (PackageException refused)
        {
            Md5Digest? actual = null;
            try
            {
                await hashing.DrainToEndAsync(new byte[DrainBufferSize], cancellationToken).ConfigureAwait(false);
                actual = hashing.Finish();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The extractor's refusal is the error to report.
            }

            if (actual is not null && actual != expectedMd5)
            {
                throw MismatchBehind(refused, name, expectedMd5, actual);
            }

            throw;
        }

        try
        {
            await hashing.DrainToEndAsync(new byte[DrainBufferSize], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException(PackageErrorCode.Io, $"reading package '{name}' failed: {ex.Message}", ex);
        }

        return Commit(name, expectedMd5, hashing, contents, staging, replace);
    }

    private InstalledPackage Commit(
        PackageFileName package,
        Md5Digest expected,
        HashingReadStream hashing,
        ExtractionResult contents,
        StagingArea staging,
        bool replace)
    {
        var actual = hashing.Finish();
        if (actual != expected)
        {
            throw Mismatch(package, expected, actual);
        }

        var manifest = FindManifest(package, staging.Path);
        var target = InstallPathFor(package);
        var replaced = MoveIntoPlace(package, staging, target, replace);

        // The replaced install was moved aside inside the staging area; deleting it (possibly large) is
        // left to the staging area's disposal, outside the placement lock.
        return new InstalledPackage(package, target, Path.Combine(target, manifest), actual, hashing.BytesRead, contents, replaced);
    }

    private bool MoveIntoPlace(PackageFileName package, StagingArea staging, string target, bool replace)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            lock (_placement)
            {
                if (!Exists(target))
                {
                    try
                    {
                        Directory.Move(staging.Path, target);
                    }
                    catch (IOException) when (Exists(target))
                    {
                        // Another process placed it between our check and our rename.
                        throw AlreadyInstalled(package, target);
                    }

                    return false;
                }

                if (!replace)
                {
                    throw AlreadyInstalled(package, target);
                }

                // Two renames: the old install aside, the new one in. Linux could swap in one step
                // (renameat2 RENAME_EXCHANGE), .NET cannot; for the moment between them the version is absent,
                // never half there. If the second rename fails, the old install goes back.
                Directory.Move(target, staging.AsidePath);
                try
                {
                    Directory.Move(staging.Path, target);
                }
                catch
                {
                    Directory.Move(staging.AsidePath, target);
                    throw;
                }

                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException(PackageErrorCode.Io, $"moving package '{package}' into '{target}' failed: {ex.Message}", ex);
        }
    }

    private void RefuseIfInstalled(PackageFileName package, bool replace)
    {
        // Checked before extracting too, so that a package that cannot be installed is not unpacked first;
        // the check that counts is the one at the rename.
        var target = InstallPathFor(package);
        if (!replace && Exists(target))
        {
            throw AlreadyInstalled(package, target);
        }
    }

    private static string FindManifest(PackageFileName package, string folder)
    {
        var present = ManifestFileNames.Where(name => File.Exists(Path.Combine(folder, name))).ToList();
        if (present.Count == 1)
        {
            return present[0];
        }

        if (present.Count > 1)
        {
            throw new PackageException(
                PackageErrorCode.ManifestMissing,
                $"package '{package}' has {string.Join(" and ", present)} at its root; exactly one manifest is allowed");
        }

        // The usual mistake: packing the folder rather than its contents, so everything sits one level down.
        var folders = Directory.GetDirectories(folder);
        var hint = folders.Length == 1 && Directory.GetFiles(folder).Length == 0
                && ManifestFileNames.Any(name => File.Exists(Path.Combine(folders[0], name)))
            ? $"; it is inside '{Path.GetFileName(folders[0])}/': pack the folder's contents, not the folder"
            : "";
        throw new PackageException(
            PackageErrorCode.ManifestMissing,
            $"package '{package}' has no manifest at its root (expected one of {string.Join(", ", ManifestFileNames)}){hint}");
    }

    private StagingArea CreateStaging()
    {
        try
        {
            return StagingArea.Create(InstallRoot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException(PackageErrorCode.Io, $"cannot create a staging folder in '{StagingArea.RootFor(InstallRoot)}': {ex.Message}", ex);
        }
    }

    private static FileStream OpenPackage(string packagePath)
    {
        try
        {
            return new FileStream(packagePath, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferSize, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException(PackageErrorCode.Io, $"cannot open package '{packagePath}': {ex.Message}", ex);
        }
    }

    /// <summary>The digest of the whole file after a refused extraction, or null when the rest cannot be read.</summary>
    private static Md5Digest? TryFinishDigest(HashingReadStream hashing)
    {
        try
        {
            hashing.DrainToEnd(new byte[DrainBufferSize]);
            return hashing.Finish();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A refused extraction of a file that is not the expected one: the mismatch is the cause to report.</summary>
    private static PackageException MismatchBehind(PackageException refused, PackageFileName package, Md5Digest expected, Md5Digest actual) =>
        new(PackageErrorCode.DigestMismatch, $"{Mismatch(package, expected, actual).Message} (extraction also failed: {refused.Message})", refused);

    private static PackageException Mismatch(PackageFileName package, Md5Digest expected, Md5Digest actual) =>
        new(PackageErrorCode.DigestMismatch, $"package '{package}' has MD5 {actual}, expected {expected}");

    private static PackageException AlreadyInstalled(PackageFileName package, string target) =>
        new(PackageErrorCode.AlreadyInstalled, $"package '{package}' is already installed in '{target}' (pass replace to replace it)");

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);
}
