using System.Text;

namespace Inference.LoadGenerator.Requests;

/// <summary>Writes a <see cref="RequestTarget"/> as HTTP/1.1 bytes once, for the raw client to send as they are.</summary>
internal static class RequestSerializer
{
    public static byte[] Serialize(RequestTarget target)
    {
        var head = new StringBuilder();
        head.Append(target.Method).Append(' ').Append(target.Url.PathAndQuery).Append(" HTTP/1.1\r\n");
        if (!target.HasHeader("Host"))
        {
            head.Append("Host: ").Append(target.Url.Authority).Append("\r\n");
        }

        if (target.SendsContentLength && !target.HasHeader("Content-Length"))
        {
            head.Append("Content-Length: ").Append(target.Body.Length).Append("\r\n");
        }

        foreach (var header in target.Headers)
        {
            head.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }

        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var bytes = new byte[headBytes.Length + target.Body.Length];
        headBytes.CopyTo(bytes, 0);
        target.Body.CopyTo(bytes, headBytes.Length);
        return bytes;
    }
}
