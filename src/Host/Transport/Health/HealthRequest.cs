using System.Text;

namespace Inference.Host.Transport.Health;

/// <summary>
/// The request line and the one header the health listener acts on, read from the bytes of one
/// HTTP/1.x request head. Anything else in the head is skipped: probes send nothing else that matters.
/// </summary>
public readonly record struct HealthRequest(string Method, string Path, bool KeepAlive, long ContentLength)
{
    /// <summary>Longest request head accepted; probes send a few hundred bytes.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>Where the head ends (after its blank line) in <paramref name="buffer"/>, or -1 when it has not all arrived.</summary>
    public static int HeadLength(ReadOnlySpan<byte> buffer) => buffer.IndexOf(HeadEnd) is >= 0 and var end ? end + HeadEnd.Length : -1;

    /// <summary>Parses a complete head; false when it is not an HTTP/1.x request.</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, out HealthRequest request)
    {
        request = default;
        var text = Encoding.ASCII.GetString(head);
        var lines = text.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[1].StartsWith('/') || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            return false;
        }

        // HTTP/1.1 keeps the connection unless told to close; 1.0 closes unless told to keep it.
        var keepAlive = parts[2] == "HTTP/1.1";
        long contentLength = 0;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                keepAlive = value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || (keepAlive && !value.Equals("close", StringComparison.OrdinalIgnoreCase));
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !long.TryParse(value, out contentLength))
            {
                return false;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = -1;
            }
        }

        var path = parts[1];
        var query = path.IndexOf('?');
        request = new HealthRequest(parts[0], query >= 0 ? path[..query] : path, keepAlive, contentLength);
        return true;
    }
}
