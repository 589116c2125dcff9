using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Inference.Packaging.Archive;

/// <summary>
/// Writes a plugin folder as a package: <c>&lt;service&gt;-&lt;version&gt;.tar.gz</c> and its <c>.md5</c>
/// sidecar (md5sum format). Entries are sorted, owned by 0:0 and dated <see cref="FixedTime"/>, so the
/// same folder always gives the same bytes and digest. Sources and build leftovers (<see cref="ExcludedFolders"/>
/// at the root), hidden files and earlier packages stay out; links are refused, since the installer refuses them.
/// </summary>
public static class PackageWriter
{
    public static readonly IReadOnlyList<string> ExcludedFolders = ["src", "obj", "bin", "sdk"];

    public static readonly DateTimeOffset FixedTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The files that would be packed, relative to <paramref name="sourceDirectory"/> with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> ListFiles(string sourceDirectory)
    {
        var root = Path.GetFullPath(sourceDirectory);
        var files = new List<string>();
        Collect(root, root, files);
        files.Sort(StringComparer.Ordinal);
        RefuseCaseClashes(files);
        return files;
    }

    /// <summary>
    /// Why a file at <paramref name="relativePath"/> (relative to the plugin folder, '/' separators) would be
    /// left out of the package by the rules of <see cref="ListFiles"/>, or null when it would be packed.
    /// </summary>
    public static string? WhyLeftOut(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Split('/').Where(s => s.Length > 0 && s != ".").ToList();
        if (segments.FirstOrDefault(s => s.StartsWith('.')) is { } hidden)
        {
            return $"'{hidden}' is hidden; hidden files and folders are not packed";
        }

        if (segments.Count > 1 && ExcludedFolders.Contains(segments[0], StringComparer.Ordinal))
        {
            return $"{segments[0]}/ at the root holds sources or build output and is not packed";
        }

        if (segments.Count == 1 && IsEarlierPackage(segments[0]))
        {
            return "packages, their .md5 and .partial files at the root are not packed";
        }

        return null;
    }

    /// <summary>Packs <paramref name="sourceDirectory"/> into <paramref name="packagePath"/>; progress reports bytes of files written.</summary>
    public static PackageWriteResult Write(string sourceDirectory, string packagePath, PackageLimits? limits = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        limits ??= new PackageLimits();
        var files = ListFiles(sourceDirectory);
        var directories = files.SelectMany(ParentFolders).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var total = CheckLimits(sourceDirectory, files, directories.Count, limits);
        var temporary = packagePath + ".partial";
        try
        {
            long written = 0;
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
            {
                foreach (var entry in directories.Select(d => (Name: d + "/", IsDirectory: true)).Concat(files.Select(f => (Name: f, IsDirectory: false))).OrderBy(e => e.Name, StringComparer.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // GNU, not PAX: .NET names PAX extended headers after the process id, which would make
                    // two packs of the same folder differ. Long names go in fixed-name LongLink entries.
                    var tarEntry = new GnuTarEntry(entry.IsDirectory ? TarEntryType.Directory : TarEntryType.RegularFile, entry.Name)
                    {
                        ModificationTime = FixedTime,
                        AccessTime = FixedTime,
                        ChangeTime = FixedTime,
                        Uid = 0,
                        Gid = 0,
                        Mode = entry.IsDirectory || IsExecutable(Path.Combine(sourceDirectory, entry.Name)) ? ExecutableMode : FileMode644,
                    };
                    if (entry.IsDirectory)
                    {
                        tar.WriteEntry(tarEntry);
                        continue;
                    }

                    using var content = File.OpenRead(Path.Combine(sourceDirectory, entry.Name));
                    tarEntry.DataStream = content;
                    tar.WriteEntry(tarEntry);
                    written += content.Length;
                    progress?.Report(written);
                }
            }

            var digest = Md5Digest.FromBytes(HashFile(temporary));
            File.Move(temporary, packagePath, overwrite: true);
            var sidecar = Md5Digest.SidecarPathFor(packagePath);
            File.WriteAllText(sidecar, digest.ToSidecarLine(Path.GetFileName(packagePath)) + "\n");
            return new PackageWriteResult(packagePath, sidecar, digest, files.Count, total, new FileInfo(packagePath).Length);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private const UnixFileMode FileMode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ExecutableMode = FileMode644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    private static byte[] HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return MD5.HashData(stream);
    }

    private static IEnumerable<string> ParentFolders(string file)
    {
        for (var slash = file.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = file.IndexOf('/', slash + 1))
        {
            yield return file[..slash];
        }
    }

    private static long CheckLimits(string root, IReadOnlyList<string> files, int directoryCount, PackageLimits limits)
    {
        // The installer counts every tar entry, folders included, so the writer counts the same way.
        var entries = files.Count + directoryCount;
        if (entries > limits.MaxEntries)
        {
            throw new PackageException(PackageErrorCode.LimitExceeded, $"the folder has {files.Count} files in {directoryCount} folders, {entries} entries; a package may hold {limits.MaxEntries} (folders count)");
        }

        long total = 0;
        foreach (var file in files)
        {
            if (file.Length > limits.MaxPathLength)
            {
                throw new PackageException(PackageErrorCode.LimitExceeded, $"'{EntryNames.Show(file)}' has a {file.Length}-character path; the limit is {limits.MaxPathLength}");
            }

            var length = new FileInfo(Path.Combine(root, file)).Length;
            if (length > limits.MaxFileBytes)
            {
                throw new PackageException(PackageErrorCode.LimitExceeded, $"'{file}' is {length} bytes; one file may be {limits.MaxFileBytes}");
            }

            total += length;
        }

        if (total > limits.MaxTotalBytes)
        {
            throw new PackageException(PackageErrorCode.LimitExceeded, $"the files add up to {total} bytes; a package may hold {limits.MaxTotalBytes}");
        }

        return total;
    }

    private static void Collect(string root, string directory, List<string> files)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry.Name.StartsWith('.') || (directory == root && IsExcludedAtRoot(entry)))
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                throw new PackageException(PackageErrorCode.UnsafeEntry, $"'{relative}' is a link; packages hold plain files only (copy the file it points to instead)");
            }

            if (entry is DirectoryInfo)
            {
                Collect(root, entry.FullName, files);
            }
            else
            {
                // The installer refuses these names (backslash, ':', control characters); refuse them here, not at install.
                if (!EntryNames.TryNormalize(relative, out _, out var reason))
                {
                    throw new PackageException(PackageErrorCode.UnsafeEntry, $"'{EntryNames.Show(relative)}' {reason}; the installer refuses such names, so rename it");
                }

                files.Add(relative);
            }
        }
    }

    /// <summary>
    /// The installer refuses two names that differ only in case (one file on Windows and macOS), files and
    /// folders alike, so such a folder is refused here rather than packed into a package that cannot be installed.
    /// </summary>
    private static void RefuseCaseClashes(List<string> files)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in files.SelectMany(f => ParentFolders(f).Append(f)))
        {
            if (!seen.TryAdd(name, name) && seen[name] is { } earlier && earlier != name)
            {
                throw new PackageException(
                    PackageErrorCode.UnsafeEntry,
                    $"'{EntryNames.Show(earlier)}' and '{EntryNames.Show(name)}' differ only in case; the installer refuses them (one name on case-insensitive file systems), so rename one");
            }
        }
    }

    private static bool IsExcludedAtRoot(FileSystemInfo entry) =>
        entry is DirectoryInfo
            ? ExcludedFolders.Contains(entry.Name, StringComparer.Ordinal)
            : IsEarlierPackage(entry.Name);

    private static bool IsEarlierPackage(string name) =>
        name.EndsWith(".tar.gz", StringComparison.Ordinal) || name.EndsWith(".tar.gz.md5", StringComparison.Ordinal) || name.EndsWith(".partial", StringComparison.Ordinal);
}
