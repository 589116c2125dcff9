using System.Security.Cryptography;

namespace Inference.Packaging.Archive;

/// <summary>
/// A private folder under <c>&lt;root&gt;/.staging</c> where one install extracts before it is moved into
/// place. It is on the same file system as the install folders, so that move is a rename (atomic).
/// </summary>
/// <remarks>
/// Each staging folder <c>&lt;id&gt;</c> comes with a lock file <c>&lt;id&gt;.lock</c> held open without
/// sharing for the life of the install (.NET takes an advisory <c>flock</c> for that on Unix). Clean-up
/// removes only folders whose lock nobody holds: the leftovers of a process that died mid-install,
/// never the staging of a live install, whether in this process or another on the same root.
/// The folder <c>&lt;id&gt;.old</c> holds the install being replaced, for the moment between the two renames.
/// </remarks>
internal sealed class StagingArea : IDisposable
{
    public const string FolderName = ".staging";

    private const string LockExtension = ".lock";
    private const string AsideSuffix = ".old";

    private readonly FileStream _lock;

    private StagingArea(string path, FileStream lockStream)
    {
        Path = path;
        AsidePath = path + AsideSuffix;
        _lock = lockStream;
    }

    /// <summary>The empty folder to extract into.</summary>
    public string Path { get; }

    /// <summary>Where an install being replaced is moved while the new one is moved in; it is deleted afterwards.</summary>
    public string AsidePath { get; }

    public static string RootFor(string installRoot) => System.IO.Path.Combine(installRoot, FolderName);

    public static StagingArea Create(string installRoot)
    {
        var root = RootFor(installRoot);
        Directory.CreateDirectory(root);
        for (var attempt = 0; ; attempt++)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var path = System.IO.Path.Combine(root, id);
            var lockPath = path + LockExtension;
            FileStream? lockStream = null;
            try
            {
                // The lock first, then the folder: a folder without a held lock is fair game for clean-up.
                lockStream = OpenLock(lockPath, FileMode.CreateNew);

                // A clean-up that opened this lock file between its creation and our lock may have deleted
                // it; then our lock guards nothing, so start again with another id.
                if (!File.Exists(lockPath))
                {
                    lockStream.Dispose();
                    continue;
                }

                Directory.CreateDirectory(path);
                return new StagingArea(path, lockStream);
            }
            catch (IOException) when (attempt < 8 && !Directory.Exists(path))
            {
                // The id was taken (or its lock was held by a clean-up); random ids make this rare.
                lockStream?.Dispose();
            }
            catch
            {
                lockStream?.Dispose();
                throw;
            }
        }
    }

    /// <summary>Removes staging folders left by installs that are no longer running; returns how many ids it cleared.</summary>
    public static int CleanStale(string installRoot)
    {
        var root = RootFor(installRoot);
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var ids = Directory.EnumerateFileSystemEntries(root)
            .Select(System.IO.Path.GetFileName)
            .OfType<string>()
            .Select(IdOf)
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var cleared = 0;
        foreach (var id in ids)
        {
            var path = System.IO.Path.Combine(root, id);
            FileStream lockStream;
            try
            {
                lockStream = OpenLock(path + LockExtension, FileMode.OpenOrCreate);
            }
            catch (IOException)
            {
                continue; // held: a live install
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            using (lockStream)
            {
                TryDeleteDirectory(path);
                TryDeleteDirectory(path + AsideSuffix);
            }

            cleared++;
        }

        return cleared;
    }

    /// <summary>Deletes a folder tree if it is there; failures are left for the next clean-up rather than masking the install's own outcome.</summary>
    public static bool TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Deletes the staging folder (when it was not moved into place), the aside folder, and then the lock.</summary>
    public void Dispose()
    {
        TryDeleteDirectory(Path);
        TryDeleteDirectory(AsidePath);
        _lock.Dispose();
    }

    // DeleteOnClose: the lock file goes when its holder closes it, or when the process dies (on Unix the
    // file then stays, unlocked, and the next clean-up removes it).
    private static FileStream OpenLock(string path, FileMode mode) =>
        new(path, mode, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);

    /// <summary>The id a staging entry belongs to: "abc", "abc.lock" and "abc.old" all belong to "abc"; anything else is not ours.</summary>
    private static string IdOf(string name)
    {
        var id = name.EndsWith(LockExtension, StringComparison.Ordinal) ? name[..^LockExtension.Length]
            : name.EndsWith(AsideSuffix, StringComparison.Ordinal) ? name[..^AsideSuffix.Length]
            : name;
        return id.Length == 16 && id.All(char.IsAsciiHexDigitLower) ? id : "";
    }
}
