using System.Text;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// The percent-encoding of <c>grpc-message</c>: UTF-8, with every byte outside printable ASCII and '%'
/// itself written as %XX, so that any text (newlines, non-Latin names) survives HTTP/2 header rules.
/// </summary>
public static class GrpcMessageEncoding
{
    public static string Encode(string message)
    {
        if (!NeedsEncoding(message))
        {
            return message;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length + 16);
        foreach (var b in bytes)
        {
            if (IsPlain(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    /// <summary>The text of an encoded <c>grpc-message</c>; a malformed escape is kept as it is (the spec asks for leniency).</summary>
    public static string Decode(string encoded)
    {
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                bytes.Add(Convert.ToByte(encoded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(encoded[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool NeedsEncoding(string message)
    {
        foreach (var c in message)
        {
            if (c > 0x7E || !IsPlain((byte)c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlain(byte b) => b is >= 0x20 and <= 0x7E and not (byte)'%';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
