using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Inference.Packaging.Archive;

/// <summary>
/// The MD5 digest of a package file, as the package repository publishes it in a sidecar
/// <c>&lt;file&gt;.md5</c> (md5sum format) or as an uploader states it.
/// </summary>
/// <remarks>
/// MD5 detects a corrupted, truncated or mixed-up file. It does not authenticate the publisher:
/// whoever can replace a package can replace its sidecar too. So comparing needs no constant-time care.
/// </remarks>
public sealed class Md5Digest : IEquatable<Md5Digest>
{
    public const int SizeInBytes = 16;

    public const string SidecarExtension = ".md5";

    /// <summary>
    /// A sidecar holds a line per file (about 80 bytes each). Anything far bigger is not a sidecar,
    /// and reading it whole would let a stray huge file in the repository take the memory.
    /// </summary>
    public const int MaxSidecarBytes = 64 * 1024;

    private const int HexLength = SizeInBytes * 2;

    private readonly byte[] _bytes;

    private Md5Digest(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    public static Md5Digest FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != SizeInBytes)
        {
            throw new ArgumentException($"an MD5 digest is {SizeInBytes} bytes, not {bytes.Length}", nameof(bytes));
        }

        return new Md5Digest(bytes.ToArray());
    }

    public static Md5Digest Compute(ReadOnlySpan<byte> data) => new(MD5.HashData(data));

    /// <summary>Hashes the stream from its position to its end, a buffer at a time (never the whole file in memory).</summary>
    public static Md5Digest Compute(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Md5Digest(MD5.HashData(stream));
    }

    public static async Task<Md5Digest> ComputeAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Md5Digest(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Parses 32 hex digits, upper or lower case.</summary>
    public static Md5Digest Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryParse(hex, out var digest)
            ? digest
            : throw new FormatException($"'{Describe(hex)}' is not an MD5 digest (32 hex digits)");
    }

    public static bool TryParse(ReadOnlySpan<char> hex, [NotNullWhen(true)] out Md5Digest? digest)
    {
        digest = null;
        if (hex.Length != HexLength || !IsHex(hex))
        {
            return false;
        }

        digest = new Md5Digest(Convert.FromHexString(hex));
        return true;
    }

    /// <summary>The sidecar that goes with a package: the same path with <c>.md5</c> appended.</summary>
    public static string SidecarPathFor(string packagePath) => packagePath + SidecarExtension;

    /// <summary>Reads and parses the sidecar next to <paramref name="packagePath"/>.</summary>
    /// <exception cref="PackageException"><see cref="PackageErrorCode.DigestMissing"/> when it is absent, too large or not md5sum output; <see cref="PackageErrorCode.Io"/> when it cannot be read.</exception>
    public static Md5Digest ReadSidecar(string packagePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(packagePath);
        var sidecarPath = SidecarPathFor(packagePath);
        var packageFileName = Path.GetFileName(packagePath);
        string content;
        try
        {
            using var stream = new FileStream(sidecarPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            if (stream.Length > MaxSidecarBytes)
            {
                throw new PackageException(
                    PackageErrorCode.DigestMissing,
                    $"sidecar '{sidecarPath}' is {stream.Length} bytes; an md5sum file for '{packageFileName}' is under {MaxSidecarBytes}");
            }

            using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
            content = reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PackageException(
                PackageErrorCode.DigestMissing,
                $"no MD5 was given for '{packageFileName}' and there is no sidecar '{sidecarPath}'",
                ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackageException(PackageErrorCode.Io, $"cannot read sidecar '{sidecarPath}': {ex.Message}", ex);
        }

        return ParseSidecar(content, packageFileName, sidecarPath);
    }

    /// <summary>
    /// Finds the digest of <paramref name="packageFileName"/> in md5sum output: lines
    /// <c>&lt;32 hex&gt;  &lt;name&gt;</c> (text mode), <c>&lt;32 hex&gt; *&lt;name&gt;</c> (binary mode),
    /// <c>&lt;32 hex&gt; &lt;name&gt;</c> (one space, as some tools write), or a bare digest alone in the file.
    /// The name may carry a folder (<c>dist/x.tar.gz</c>, from <c>md5sum dist/x.tar.gz</c>); only its last
    /// segment is compared. A sidecar that names another file is refused: it belongs to a different package.
    /// </summary>
    public static Md5Digest ParseSidecar(string content, string packageFileName, string? sidecarName = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(packageFileName);
        sidecarName ??= packageFileName + SidecarExtension;

        var lines = content.TrimStart('\uFEFF').Split('\n');
        var named = new List<(Md5Digest Digest, string Name)>();
        var bare = new List<Md5Digest>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!TryParseSidecarLine(line, out var digest, out var name))
            {
                throw new PackageException(
                    PackageErrorCode.DigestMissing,
                    $"sidecar '{sidecarName}' line {i + 1} is not '<32 hex digits>  {packageFileName}': '{Describe(line)}'");
            }

            if (name is null)
            {
                bare.Add(digest);
            }
            else
            {
                named.Add((digest, name));
            }
        }

        var matching = named.Where(n => LastSegment(n.Name) == packageFileName).Select(n => n.Digest).Distinct().ToList();
        if (matching.Count == 1)
        {
            return matching[0];
        }

        if (matching.Count > 1)
        {
            throw new PackageException(
                PackageErrorCode.DigestMissing,
                $"sidecar '{sidecarName}' gives {matching.Count} different digests for '{packageFileName}'");
        }

        if (named.Count > 0)
        {
            var others = string.Join(", ", named.Select(n => $"'{Describe(n.Name)}'").Distinct().Take(5));
            throw new PackageException(
                PackageErrorCode.DigestMissing,
                $"sidecar '{sidecarName}' lists {others} but not '{packageFileName}'");
        }

        return bare.Count switch
        {
            1 => bare[0],
            0 => throw new PackageException(PackageErrorCode.DigestMissing, $"sidecar '{sidecarName}' for '{packageFileName}' is empty"),
            _ => throw new PackageException(
                PackageErrorCode.DigestMissing,
                $"sidecar '{sidecarName}' holds {bare.Count} bare digests; which one is '{packageFileName}'s is unknown"),
        };
    }

    public bool Equals(Md5Digest? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Md5Digest);

    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(_bytes);

    public static bool operator ==(Md5Digest? left, Md5Digest? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Md5Digest? left, Md5Digest? right) => !(left == right);

    /// <summary>Lower-case hex, as md5sum writes it.</summary>
    public override string ToString() => Convert.ToHexStringLower(_bytes);

    /// <summary>The line md5sum would write for <paramref name="fileName"/> (text mode, two spaces).</summary>
    public string ToSidecarLine(string fileName) => $"{this}  {fileName}";

    private static bool TryParseSidecarLine(string line, [NotNullWhen(true)] out Md5Digest? digest, out string? name)
    {
        name = null;
        if (!TryParse(line.AsSpan(0, Math.Min(HexLength, line.Length)), out digest))
        {
            return false;
        }

        var rest = line.AsSpan(HexLength);
        if (rest.IsEmpty)
        {
            return true;
        }

        // After the digest comes one space, then md5sum's mode marker (' ' text, '*' binary), then the name.
        // Tools that write a single space have no marker, so after the first space a marker is optional.
        if (rest[0] != ' ')
        {
            digest = null;
            return false;
        }

        rest = rest[1..];
        if (!rest.IsEmpty && rest[0] is ' ' or '*')
        {
            rest = rest[1..];
        }

        if (rest.IsEmpty)
        {
            digest = null;
            return false;
        }

        name = rest.ToString();
        return true;
    }

    private static string LastSegment(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? name : name[(slash + 1)..];
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sidecar text is untrusted: shorten it and make control characters visible before it goes into a message.</summary>
    private static string Describe(string text) => EntryNames.Show(text);
}
