using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Inference.Packaging.Archive;

/// <summary>
/// A package file name, <c>&lt;service&gt;-&lt;MAJOR.MINOR.PATCH&gt;.tar.gz</c>. The service and version
/// become the install folder <c>&lt;root&gt;/&lt;service&gt;/&lt;version&gt;</c>, so both are held to
/// characters that are safe and portable as folder names.
/// </summary>
/// <remarks>
/// Service: 1-128 ASCII letters, digits and '_', starting with a letter or digit (the host's model-name
/// rule, which also takes '-' and '.', is wider; '-' here would make the name ambiguous). Version:
/// semver's core only, numbers without leading zeros (as semver requires), so that the name round-trips;
/// pre-release and build suffixes are not accepted.
/// </remarks>
public sealed record PackageFileName
{
    public const string Extension = ".tar.gz";

    public const int MaxServiceLength = 128;

    private PackageFileName(string service, int major, int minor, int patch)
    {
        Service = service;
        Major = major;
        Minor = minor;
        Patch = patch;
        Version = string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{patch}");
    }

    public string Service { get; }

    public int Major { get; }

    public int Minor { get; }

    public int Patch { get; }

    /// <summary><c>MAJOR.MINOR.PATCH</c>, the name of the version folder.</summary>
    public string Version { get; }

    public string FileName => $"{Service}-{Version}{Extension}";

    /// <exception cref="PackageException"><see cref="PackageErrorCode.BadFileName"/>, naming the file and what is wrong.</exception>
    public static PackageFileName Parse(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return TryParse(fileName, out var result, out var reason)
            ? result
            : throw new PackageException(
                PackageErrorCode.BadFileName,
                $"package file name '{EntryNames.Show(fileName)}' is not <service>-<MAJOR.MINOR.PATCH>{Extension}: {reason}");
    }

    public static bool TryParse(string? fileName, [NotNullWhen(true)] out PackageFileName? result) =>
        TryParse(fileName, out result, out _);

    public override string ToString() => FileName;

    private static bool TryParse(string? fileName, [NotNullWhen(true)] out PackageFileName? result, out string reason)
    {
        result = null;
        if (string.IsNullOrEmpty(fileName))
        {
            reason = "it is empty";
            return false;
        }

        if (fileName.Contains('/') || fileName.Contains('\\'))
        {
            reason = "it has a folder part; give the file name alone";
            return false;
        }

        if (!fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            reason = $"it does not end in '{Extension}'";
            return false;
        }

        var stem = fileName.AsSpan(0, fileName.Length - Extension.Length);
        var dash = stem.IndexOf('-');
        if (dash < 0)
        {
            reason = "there is no '-' between the service and the version";
            return false;
        }

        var service = stem[..dash];
        if (!ValidService(service, out reason))
        {
            return false;
        }

        var version = stem[(dash + 1)..];
        Span<int> numbers = stackalloc int[3];
        var count = 0;
        foreach (var range in version.Split('.'))
        {
            if (count == 3)
            {
                reason = $"version '{EntryNames.Show(version.ToString())}' has more than three numbers";
                return false;
            }

            if (!TryParseNumber(version[range], out numbers[count]))
            {
                reason = $"version '{EntryNames.Show(version.ToString())}' is not MAJOR.MINOR.PATCH (numbers without leading zeros)";
                return false;
            }

            count++;
        }

        if (count != 3)
        {
            reason = $"version '{EntryNames.Show(version.ToString())}' is not MAJOR.MINOR.PATCH";
            return false;
        }

        result = new PackageFileName(service.ToString(), numbers[0], numbers[1], numbers[2]);
        reason = "";
        return true;
    }

    private static bool ValidService(ReadOnlySpan<char> service, out string reason)
    {
        if (service.IsEmpty)
        {
            reason = "the service name is empty";
            return false;
        }

        if (service.Length > MaxServiceLength)
        {
            reason = $"the service name is {service.Length} characters; the most is {MaxServiceLength}";
            return false;
        }

        if (!char.IsAsciiLetterOrDigit(service[0]))
        {
            reason = $"service '{EntryNames.Show(service.ToString())}' does not start with a letter or digit";
            return false;
        }

        foreach (var c in service)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                reason = $"service '{EntryNames.Show(service.ToString())}' has '{EntryNames.Show(c.ToString())}'; only letters, digits and '_' are allowed";
                return false;
            }
        }

        reason = "";
        return true;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
