using System.Buffers.Text;
using System.Text;

namespace Inference.LoadGenerator.Http;

/// <summary>
/// An incremental HTTP/1.1 response parser that keeps only what a load generator needs: the status,
/// whether the connection stays open, and where the response ends (Content-Length, chunked, or the
/// end of the stream). Bytes may arrive split anywhere; <see cref="Parse"/> stops at the end of one
/// response so that the bytes after it (a pipelined next response) stay with the caller. Body bytes
/// are counted and skipped, never copied.
/// </summary>
internal sealed class HttpResponseParser
{
    private const int MaxLineLength = 16 * 1024;
    private const int MaxHeaderBytes = 64 * 1024;
    private readonly byte[] line = new byte[MaxLineLength];
    private int lineLength;
    private int headerBytes;
    private long remaining;
    private long contentLength;
    private bool chunked;
    private bool responseToHead;
    private bool http10;
    private bool connectionClose;
    private bool connectionKeepAlive;

    public ResponseParserState State { get; private set; }

    public int StatusCode { get; private set; }

    public bool IsComplete => State == ResponseParserState.Complete;

    /// <summary>Whether the connection may carry the next request (valid once complete).</summary>
    public bool KeepAlive { get; private set; }

    public long BodyLength { get; private set; }

    /// <summary>Prepares for the next response; a response to HEAD has no body whatever its headers say.</summary>
    public void Reset(bool headRequest = false)
    {
        responseToHead = headRequest;
        State = ResponseParserState.StatusLine;
        StatusCode = 0;
        KeepAlive = false;
        BodyLength = 0;
        headerBytes = 0;
        lineLength = 0;
        ResetHeaderFields();
    }

    /// <summary>Consumes bytes up to the end of the current response; returns how many it took.</summary>
    public int Parse(ReadOnlySpan<byte> data)
    {
        var consumed = 0;
        while (consumed < data.Length && State != ResponseParserState.Complete)
        {
            var rest = data[consumed..];
            switch (State)
            {
                case ResponseParserState.UntilClose:
                    BodyLength += rest.Length;
                    consumed += rest.Length;
                    break;
                case ResponseParserState.Body:
                case ResponseParserState.ChunkData:
                    var take = (int)Math.Min(remaining, rest.Length);
                    BodyLength += take;
                    consumed += take;
                    remaining -= take;
                    if (remaining == 0)
                    {
                        State = State == ResponseParserState.Body ? ResponseParserState.Complete : ResponseParserState.ChunkDataEnd;
                    }

                    break;
                default:
                    consumed += ReadLine(rest);
                    break;
            }
        }

        return consumed;
    }

    /// <summary>The server closed the connection: true when that ends the response (a body delimited by the close).</summary>
    public bool CompleteAtEndOfStream()
    {
        if (State == ResponseParserState.UntilClose)
        {
            State = ResponseParserState.Complete;
        }

        return IsComplete;
    }

    private int ReadLine(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf((byte)'\n');
        var take = end < 0 ? data.Length : end + 1;
        if (State is ResponseParserState.StatusLine or ResponseParserState.Headers)
        {
            headerBytes += take;
            if (headerBytes > MaxHeaderBytes)
            {
                throw new MalformedResponseException($"response headers longer than {MaxHeaderBytes} bytes");
            }
        }

        if (end < 0)
        {
            Append(data);
            return take;
        }

        if (lineLength == 0)
        {
            ProcessLine(TrimCarriageReturn(data[..end]));
        }
        else
        {
            Append(data[..end]);
            var text = TrimCarriageReturn(line.AsSpan(0, lineLength));
            lineLength = 0;
            ProcessLine(text);
        }

        return take;
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (lineLength + part.Length > MaxLineLength)
        {
            throw new MalformedResponseException($"a line of the response is longer than {MaxLineLength} bytes");
        }

        part.CopyTo(line.AsSpan(lineLength));
        lineLength += part.Length;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> text) =>
        text.Length > 0 && text[^1] == (byte)'\r' ? text[..^1] : text;

    private void ProcessLine(ReadOnlySpan<byte> text)
    {
        switch (State)
        {
            case ResponseParserState.StatusLine:
                // RFC 9112 2.2: a client should ignore empty lines before the status line.
                if (!text.IsEmpty)
                {
                    ReadStatusLine(text);
                }

                break;
            case ResponseParserState.Headers:
                if (text.IsEmpty)
                {
                    EndOfHeaders();
                }
                else
                {
                    ReadHeader(text);
                }

                break;
            case ResponseParserState.ChunkSize:
                ReadChunkSize(text);
                break;
            case ResponseParserState.ChunkDataEnd:
                State = text.IsEmpty ? ResponseParserState.ChunkSize : throw new MalformedResponseException("chunk data not followed by CRLF");
                break;
            case ResponseParserState.Trailers:
                if (text.IsEmpty)
                {
                    State = ResponseParserState.Complete;
                }

                break;
        }
    }

    private void ReadStatusLine(ReadOnlySpan<byte> text)
    {
        // "HTTP/1.x SSS[ reason]"
        if (text.Length < 12 || !text.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)text[7]) || text[8] != (byte)' '
            || !char.IsAsciiDigit((char)text[9]) || !char.IsAsciiDigit((char)text[10]) || !char.IsAsciiDigit((char)text[11])
            || (text.Length > 12 && text[12] != (byte)' '))
        {
            throw new MalformedResponseException($"not an HTTP/1.x status line: '{Printable(text)}'");
        }

        http10 = text[7] == (byte)'0';
        StatusCode = ((text[9] - '0') * 100) + ((text[10] - '0') * 10) + (text[11] - '0');
        State = ResponseParserState.Headers;
    }

    private void ReadHeader(ReadOnlySpan<byte> text)
    {
        var colon = text.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw new MalformedResponseException($"malformed header line: '{Printable(text)}'");
        }

        var name = text[..colon];
        var value = text[(colon + 1)..].Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0
                || (contentLength >= 0 && contentLength != length))
            {
                throw new MalformedResponseException($"invalid Content-Length: '{Printable(value)}'");
            }

            contentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            // Chunked is always the last coding when present (RFC 9112 6.1).
            chunked = value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                var token = value[range].Trim(" \t"u8);
                connectionClose |= Ascii.EqualsIgnoreCase(token, "close"u8);
                connectionKeepAlive |= Ascii.EqualsIgnoreCase(token, "keep-alive"u8);
            }
        }
    }

    private void EndOfHeaders()
    {
        if (StatusCode is >= 100 and < 200 && StatusCode != 101)
        {
            // An interim response (100 Continue, 103 Early Hints): the real one follows.
            State = ResponseParserState.StatusLine;
            ResetHeaderFields();
            return;
        }

        KeepAlive = http10 ? connectionKeepAlive && !connectionClose : !connectionClose;
        if (responseToHead || StatusCode is 204 or 304 or 101)
        {
            State = ResponseParserState.Complete;
        }
        else if (chunked)
        {
            State = ResponseParserState.ChunkSize;
        }
        else if (contentLength >= 0)
        {
            remaining = contentLength;
            State = contentLength == 0 ? ResponseParserState.Complete : ResponseParserState.Body;
        }
        else
        {
            State = ResponseParserState.UntilClose;
            KeepAlive = false;
        }
    }

    private void ReadChunkSize(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOfAny(";\t "u8);
        var digits = end < 0 ? text : text[..end];
        if (digits.IsEmpty || digits.Length > 15)
        {
            throw new MalformedResponseException($"invalid chunk size: '{Printable(text)}'");
        }

        long size = 0;
        foreach (var digit in digits)
        {
            var nibble = HexValue(digit);
            size = nibble >= 0 ? (size << 4) | (uint)nibble : throw new MalformedResponseException($"invalid chunk size: '{Printable(text)}'");
        }

        if (size == 0)
        {
            State = ResponseParserState.Trailers;
        }
        else
        {
            remaining = size;
            State = ResponseParserState.ChunkData;
        }
    }

    private static int HexValue(byte digit) => digit switch
    {
        >= (byte)'0' and <= (byte)'9' => digit - '0',
        >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
        _ => -1,
    };

    private void ResetHeaderFields()
    {
        contentLength = -1;
        chunked = false;
        http10 = false;
        connectionClose = false;
        connectionKeepAlive = false;
        remaining = 0;
    }

    private static string Printable(ReadOnlySpan<byte> text)
    {
        var shown = text[..Math.Min(text.Length, 80)];
        return Encoding.ASCII.GetString(shown).ReplaceLineEndings(" ");
    }
}
