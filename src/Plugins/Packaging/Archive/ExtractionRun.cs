using System.Formats.Tar;

namespace Inference.Packaging.Archive;

/// <summary>
/// The state and the rules of one extraction: which entries are admitted, where they go, how many bytes
/// have been written. <see cref="SafeArchiveExtractor"/> drives it from a synchronous and an asynchronous
/// loop; everything that decides lives here, once.
/// </summary>
internal sealed class ExtractionRun
{
    private const int BlockSize = 512;

    // Unix permissions for what is written: the archive's own modes are not applied (no setuid, no
    // world-writable files); only "executable by its owner" is carried over, for middleware binaries.
    private const UnixFileMode PlainFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ExecutableFileMode =
        PlainFileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly PackageLimits _limits;
    private readonly string _root;

    // Compared ignoring case: "Model.onnx" and "model.onnx" are two files on Linux but one on Windows
    // and macOS, where the second would silently replace the first. A package must mean the same
    // everywhere, so such pairs are refused as duplicates.
    private readonly Dictionary<string, string> _files = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _explicitDirectories = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _directories = new(StringComparer.OrdinalIgnoreCase);

    private int _entries;
    private string? _current;
    private bool _inData;
    private bool _ended;
    private long _currentLength;

    // Where, in the expanded (tar) stream, the header after the last admitted entry begins.
    private long _nextHeaderAt;

    public ExtractionRun(PackageLimits limits, string destinationRoot)
    {
        _limits = limits;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destinationRoot)) + Path.DirectorySeparatorChar;
    }

    public int FileCount { get; private set; }

    public int DirectoryCount { get; private set; }

    public long TotalBytes { get; private set; }

    /// <summary>
    /// How many bytes of tar headers may come before one entry: its header and the previous entry's
    /// padding, PAX or GNU records carrying a path and a link path of up to MaxPathLength each (with their
    /// own headers), and room for PAX's other attributes (times, ids, user names, extended attributes
    /// such as SELinux labels). Real archives need a few KiB; the reader holds all of it in memory.
    /// </summary>
    public static long HeaderBudget(PackageLimits limits) => 4L * BlockSize + 2L * limits.MaxPathLength + 64 * 1024;

    /// <summary>
    /// How many bytes the gzip stream may expand to: the content limit, the headers' allowance for every
    /// entry, then the end-of-archive marker and the padding tar adds to fill its last record (10 KiB for
    /// GNU tar), with room to spare.
    /// </summary>
    public static long ExpansionBudget(PackageLimits limits)
    {
        Int128 budget = limits.MaxTotalBytes + (limits.MaxEntries + (Int128)1) * HeaderBudget(limits) + (1 << 20);
        return budget > long.MaxValue ? long.MaxValue : (long)budget;
    }

    /// <summary>
    /// Checks an entry against the rules and the limits, creates the folders it needs, and returns the full
    /// path of the file to write, or null when there is nothing to write (a folder, the root, a PAX global header).
    /// </summary>
    /// <param name="expandedPosition">Bytes expanded so far: the position just after this entry's header.</param>
    public string? Admit(TarEntry entry, long expandedPosition)
    {
        _entries++;
        _current = EntryNames.Show(entry.Name);
        _currentLength = 0;
        _nextHeaderAt = entry.DataStream is null ? AlignToBlock(expandedPosition) : expandedPosition + AlignToBlock(entry.Length);

        if (_entries > _limits.MaxEntries)
        {
            throw Refuse(PackageErrorCode.LimitExceeded, $"is entry number {_entries}; the limit is {_limits.MaxEntries} entries");
        }

        if (entry.Name.Length > _limits.MaxPathLength)
        {
            throw Refuse(PackageErrorCode.LimitExceeded, $"has a name of {entry.Name.Length} characters; the limit is {_limits.MaxPathLength}");
        }

        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
            case TarEntryType.Directory:
                break;

            // Written by git archive (the commit id) and other PAX writers; it describes the archive, not
            // a file, so there is nothing to extract.
            case TarEntryType.GlobalExtendedAttributes:
                return null;

            // Links are refused outright, even those that would stay inside: a symbolic link to a folder
            // lets a later entry be written through it to anywhere, and making links safe means resolving
            // every later path against every earlier link. A package has no need for links, and with none
            // the folder holds exactly the files listed, with no path resolving through anything.
            case TarEntryType.SymbolicLink:
                throw Refuse(PackageErrorCode.UnsafeEntry, $"is a symbolic link (to '{EntryNames.Show(entry.LinkName)}'); packages may not contain links");
            case TarEntryType.HardLink:
                throw Refuse(PackageErrorCode.UnsafeEntry, $"is a hard link (to '{EntryNames.Show(entry.LinkName)}'); packages may not contain links");
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                throw Refuse(PackageErrorCode.UnsafeEntry, $"is a device file ({entry.EntryType}); packages may only contain files and folders");
            case TarEntryType.Fifo:
                throw Refuse(PackageErrorCode.UnsafeEntry, "is a FIFO; packages may only contain files and folders");
            default:
                throw Refuse(PackageErrorCode.UnsafeEntry, $"has type {entry.EntryType}; packages may only contain files and folders");
        }

        if (!EntryNames.TryNormalize(entry.Name, out var relative, out var reason))
        {
            throw Refuse(PackageErrorCode.UnsafeEntry, reason);
        }

        var isDirectory = entry.EntryType == TarEntryType.Directory;
        if (isDirectory && entry.Length != 0)
        {
            throw Refuse(PackageErrorCode.CorruptArchive, $"is a folder with {entry.Length} bytes of data");
        }

        if (relative.Length == 0)
        {
            // "./" is the archive root, which is the destination itself.
            return isDirectory ? null : throw Refuse(PackageErrorCode.UnsafeEntry, "is a file whose name is the package root");
        }

        var fullPath = Path.GetFullPath(Path.Combine(_root, relative));
        if (!fullPath.StartsWith(_root, StringComparison.Ordinal))
        {
            // Not reachable after the checks above; kept so that a gap in them cannot become an escape.
            throw Refuse(PackageErrorCode.UnsafeEntry, "resolves outside the package folder");
        }

        ClaimPath(relative, isDirectory);
        if (isDirectory)
        {
            CreateDirectory(fullPath);
            DirectoryCount++;
            return null;
        }

        // The header's size is checked here only to refuse early, before anything is written; the limits
        // are enforced by counting bytes as they are written (CountChunk) and as they are expanded.
        if (entry.Length > _limits.MaxFileBytes)
        {
            throw Refuse(PackageErrorCode.LimitExceeded, $"is {entry.Length} bytes; the limit is {_limits.MaxFileBytes} bytes per file (MaxFileBytes)");
        }

        if (TotalBytes + entry.Length > _limits.MaxTotalBytes)
        {
            throw Refuse(
                PackageErrorCode.LimitExceeded,
                $"would bring the package to {TotalBytes + entry.Length} bytes; the limit is {_limits.MaxTotalBytes} bytes (MaxTotalBytes)");
        }

        CreateDirectory(Path.GetDirectoryName(fullPath)!);
        _currentLength = entry.Length;
        return fullPath;
    }

    /// <summary>Creates the file for the admitted entry; never overwrites (CreateNew), so nothing can be written twice.</summary>
    public FileStream CreateFile(string fullPath, TarEntry entry)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0, // the copy writes large chunks; a FileStream buffer would only add a copy
            PreallocationSize = entry.Length, // bounded by the limits above; fails early when the disk is full
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = (entry.Mode & UnixFileMode.UserExecute) != 0 ? ExecutableFileMode : PlainFileMode;
        }

        try
        {
            var stream = new FileStream(fullPath, options);
            _inData = true;
            return stream;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Refuse(PackageErrorCode.Io, $"could not be created: {ex.Message}", ex);
        }
    }

    /// <summary>Counts a chunk about to be written against the limits: this, not the header, is what bounds the bytes on disk.</summary>
    public void CountChunk(long writtenSoFar, int chunk)
    {
        if (writtenSoFar + chunk > _limits.MaxFileBytes)
        {
            throw Refuse(PackageErrorCode.LimitExceeded, $"has more than {_limits.MaxFileBytes} bytes; the limit is {_limits.MaxFileBytes} bytes per file (MaxFileBytes)");
        }

        if (TotalBytes + chunk > _limits.MaxTotalBytes)
        {
            throw Refuse(PackageErrorCode.LimitExceeded, $"brings the package past {_limits.MaxTotalBytes} bytes (MaxTotalBytes)");
        }

        if (writtenSoFar + chunk > _currentLength)
        {
            throw Refuse(PackageErrorCode.CorruptArchive, $"has more data than its header's {_currentLength} bytes");
        }

        TotalBytes += chunk;
    }

    public PackageException WriteFailed(Exception ex) => Refuse(PackageErrorCode.Io, $"could not be written: {ex.Message}", ex);

    /// <summary>Checks the file got all its bytes and makes them durable before the folder can be moved into place.</summary>
    public void CompleteFile(FileStream output, long written)
    {
        if (written != _currentLength)
        {
            throw Refuse(PackageErrorCode.CorruptArchive, $"is truncated: {written} of {_currentLength} bytes");
        }

        try
        {
            // The install is "all or nothing" only if the files are on disk before the rename that publishes them.
            output.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(ex);
        }

        _inData = false;
        FileCount++;
    }

    /// <summary>
    /// Called when the tar reader has no more entries. It stops at the first all-zero block of the
    /// end-of-archive marker; a reader that took the end of the stream for the end of the archive (.NET's
    /// does for seekable streams) would accept an archive cut off between two entries, so the marker is
    /// checked for here rather than trusted to the reader.
    /// </summary>
    public void EndOfEntries(long expandedPosition)
    {
        if (expandedPosition - _nextHeaderAt < BlockSize)
        {
            throw new PackageException(
                PackageErrorCode.CorruptArchive,
                _current is null
                    ? "the archive is empty: no entries and no end-of-archive marker (not a tar, or truncated)"
                    : $"the archive ends after entry '{_current}' without an end-of-archive marker; it is truncated");
        }

        _ended = true;
    }

    /// <summary>After the whole stream is read: the gzip trailer must be there and match what was expanded.</summary>
    public void CheckGzipEnd(GzipFramingStream framing, long expandedBytes)
    {
        if (!framing.EndsWithTrailerFor(expandedBytes))
        {
            throw new PackageException(
                PackageErrorCode.CorruptArchive,
                $"the gzip stream is truncated, or followed by other data: its trailer does not match the {expandedBytes} bytes it expanded to");
        }
    }

    public ExtractionResult Result(long expandedBytes) => new(FileCount, DirectoryCount, TotalBytes, expandedBytes);

    /// <summary>
    /// Turns what the gzip and tar readers throw on bad input into a <see cref="PackageException"/> that
    /// says where it happened. Returns false for what is not about the archive (cancellation, our own errors).
    /// </summary>
    public bool TryTranslateReadFault(Exception ex, GzipFramingStream framing, ExpansionLimitStream expansion, out PackageException translated)
    {
        translated = null!;
        switch (ex)
        {
            case PackageException when expansion.Exceeded:
                translated = new PackageException(
                    PackageErrorCode.LimitExceeded,
                    $"the archive expands to more than {expansion.Budget} bytes {Where()} (MaxTotalBytes {_limits.MaxTotalBytes} plus room for tar headers); stopped while decompressing",
                    ex);
                return true;
            case PackageException when expansion.HeadersExceeded:
                translated = new PackageException(
                    PackageErrorCode.LimitExceeded,
                    $"the tar headers {Where()} take more than {expansion.HeaderBudget} bytes; no real PAX or long-name record is that large; stopped while decompressing",
                    ex);
                return true;
            case PackageException or OperationCanceledException:
                return false;
            case InvalidDataException or EndOfStreamException when !framing.StartsWithGzipMagic:
                translated = new PackageException(
                    PackageErrorCode.CorruptArchive,
                    framing.BytesRead == 0 ? "the package is empty (0 bytes)" : $"the package is not a gzip stream (it starts with {framing.Head})",
                    ex);
                return true;
            case EndOfStreamException:
                translated = new PackageException(PackageErrorCode.CorruptArchive, $"the archive is truncated {Where()}", ex);
                return true;

            // The gzip and tar readers report malformed input with these; ArgumentException and
            // OverflowException come from header fields with values no writer produces.
            case InvalidDataException or FormatException or OverflowException or ArgumentException or NotSupportedException:
                translated = new PackageException(PackageErrorCode.CorruptArchive, $"the archive is corrupt {Where()}: {ex.Message}", ex);
                return true;
            case IOException or UnauthorizedAccessException:
                translated = new PackageException(PackageErrorCode.Io, $"reading the package failed {Where()}: {ex.Message}", ex);
                return true;
            default:
                return false;
        }
    }

    private string Where() => (_current, _inData, _ended) switch
    {
        (null, _, false) => "before its first entry",
        (null, _, true) => "after the end-of-archive marker",
        (_, _, true) => $"after the end-of-archive marker that follows entry '{_current}'",
        (_, true, _) => $"in entry '{_current}'",
        _ => $"after entry '{_current}'",
    };

    private PackageException Refuse(PackageErrorCode code, string what, Exception? inner = null) =>
        new(code, $"entry '{_current}' {what}", inner);

    /// <summary>Records the path, refusing a second entry for it and a file where a folder is needed (or the reverse).</summary>
    private void ClaimPath(string relative, bool isDirectory)
    {
        if (_files.TryGetValue(relative, out var earlier)
            || (isDirectory && _explicitDirectories.TryGetValue(relative, out earlier)))
        {
            var same = earlier == relative ? "" : $" (as '{EntryNames.Show(earlier)}', ignoring case: one name on case-insensitive file systems)";
            throw Refuse(PackageErrorCode.UnsafeEntry, $"is a duplicate: '{EntryNames.Show(relative)}' appeared earlier in the archive{same}");
        }

        if (!isDirectory && _directories.TryGetValue(relative, out var folder))
        {
            throw Refuse(PackageErrorCode.UnsafeEntry, $"is a file, but an earlier entry made '{EntryNames.Show(folder)}' a folder");
        }

        for (var slash = relative.IndexOf('/'); slash >= 0; slash = relative.IndexOf('/', slash + 1))
        {
            var parent = relative[..slash];
            if (_files.ContainsKey(parent))
            {
                throw Refuse(PackageErrorCode.UnsafeEntry, $"is inside '{EntryNames.Show(parent)}', which an earlier entry made a file");
            }

            _directories.Add(parent);
        }

        if (isDirectory)
        {
            _explicitDirectories.Add(relative);
            _directories.Add(relative);
        }
        else
        {
            _files.Add(relative, relative);
        }
    }

    private void CreateDirectory(string fullPath)
    {
        try
        {
            Directory.CreateDirectory(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Refuse(PackageErrorCode.Io, $"needs folder '{fullPath}', which could not be created: {ex.Message}", ex);
        }
    }

    private static long AlignToBlock(long position) => (position + BlockSize - 1) / BlockSize * BlockSize;
}
