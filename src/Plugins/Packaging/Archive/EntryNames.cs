using System.Text;

namespace Inference.Packaging.Archive;

/// <summary>
/// Turns a tar entry name into a relative path under the install folder, or says why it cannot be one.
/// The rules are deliberately narrower than what tar allows: a package only needs plain relative names,
/// and every rule below closes a way that names have been used to write outside the target folder.
/// </summary>
internal static class EntryNames
{
    /// <summary>How much of an untrusted name goes into a message; names may be up to MaxPathLength long and hostile.</summary>
    private const int ShownLength = 200;

    /// <summary>
    /// The relative path (segments joined by '/') for <paramref name="name"/>; empty for the archive root
    /// (<c>./</c>, written by <c>tar -C dir .</c>).
    /// </summary>
    /// <param name="reason">Why the name is refused, to follow "entry '&lt;name&gt;' ".</param>
    public static bool TryNormalize(string name, out string relativePath, out string reason)
    {
        relativePath = "";
        reason = "";
        if (name.Length == 0)
        {
            reason = "has an empty name";
            return false;
        }

        foreach (var c in name)
        {
            // NUL ends a name for the OS but not for .NET: "a\0b" would be checked as one name and created as another.
            if (c == '\0')
            {
                reason = "has a NUL character in its name";
                return false;
            }

            // Newlines and other control characters have no place in a file name and only serve to fool whoever reads a listing.
            if (char.IsControl(c))
            {
                reason = $"has a control character (U+{(int)c:X4}) in its name";
                return false;
            }

            // A backslash is a separator on Windows: "..\..\x" is harmless text on Linux and an escape there.
            if (c == '\\')
            {
                reason = "has a backslash in its name (a path separator on Windows)";
                return false;
            }

            // A colon makes a drive-relative path ("C:x") or an NTFS alternate data stream ("a:stream") on Windows.
            if (c == ':')
            {
                reason = "has a ':' in its name (a drive or an alternate data stream on Windows)";
                return false;
            }
        }

        if (name[0] == '/')
        {
            reason = "is an absolute path";
            return false;
        }

        var segments = new List<string>();
        foreach (var segment in name.Split('/'))
        {
            // "" comes from "a//b" or a trailing '/', "." from "./a": both mean nothing and are dropped.
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            // Refused even where it would stay inside ("a/../b"): no package needs it, and not resolving
            // '..' at all leaves nothing to get wrong.
            if (segment == "..")
            {
                reason = "has a '..' segment";
                return false;
            }

            segments.Add(segment);
        }

        relativePath = string.Join('/', segments);
        return true;
    }

    /// <summary>A name made safe to print: control characters escaped (NUL as \0), long names shortened.</summary>
    public static string Show(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, ShownLength) + 8);
        foreach (var c in name)
        {
            if (builder.Length >= ShownLength)
            {
                builder.Append("…(").Append(name.Length).Append(" characters)");
                break;
            }

            if (c == '\0')
            {
                builder.Append("\\0");
            }
            else if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
