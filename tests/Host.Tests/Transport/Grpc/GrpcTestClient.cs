using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Inference.Host.Errors;
using Inference.Host.Transport.Grpc;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>
/// Speaks gRPC with nothing but HttpClient: HTTP/2 without TLS by prior knowledge (version 2.0, exact),
/// messages framed by hand, status read from the trailers. Independent of the server's framing code
/// on purpose, so that a mistake there cannot hide in both.
/// </summary>
public sealed class GrpcTestClient : IDisposable
{
    private readonly HttpClient http;

    public GrpcTestClient(Uri address)
    {
        http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
        {
            BaseAddress = address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public HttpClient Http => http;

    /// <summary>The 5-byte prefix (not compressed, big-endian length) and the message.</summary>
    public static byte[] Frame(IMessage message, byte compressedFlag = 0)
    {
        var payload = message.ToByteArray();
        var framed = new byte[5 + payload.Length];
        framed[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(framed, 5);
        return framed;
    }

    public static HttpRequestMessage Request(string path, HttpContent content, IEnumerable<(string Name, string Value)>? headers = null, string contentType = GrpcProtocol.ContentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public Task<GrpcReply> UnaryAsync(string path, IMessage message, IEnumerable<(string Name, string Value)>? headers = null, CancellationToken cancellationToken = default) =>
        SendAsync(path, Frame(message), headers, cancellationToken: cancellationToken);

    public async Task<GrpcReply> SendAsync(string path, byte[] body, IEnumerable<(string Name, string Value)>? headers = null, string contentType = GrpcProtocol.ContentType, CancellationToken cancellationToken = default)
    {
        using var request = Request(path, new ByteArrayContent(body), headers, contentType);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return Read(response, bytes);
    }

    /// <summary>A reply from a finished response and its whole body.</summary>
    public static GrpcReply Read(HttpResponseMessage response, byte[] body)
    {
        var messages = new List<byte[]>();
        var position = 0;
        while (position + 5 <= body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(position + 1));
            messages.Add(body.AsSpan(position + 5, length).ToArray());
            position += 5 + length;
        }

        Assert.Equal(body.Length, position);
        var (status, message, trailersOnly) = StatusOf(response);
        return new GrpcReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, status, message, messages, trailersOnly);
    }

    public static (GrpcStatusCode? Status, string? Message, bool TrailersOnly) StatusOf(HttpResponseMessage response)
    {
        var trailersOnly = !response.TrailingHeaders.Contains(GrpcProtocol.StatusName);
        var source = trailersOnly ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        GrpcStatusCode? status = source.TryGetValues(GrpcProtocol.StatusName, out var codes) ? (GrpcStatusCode)int.Parse(codes.Single(), System.Globalization.CultureInfo.InvariantCulture) : null;
        var message = source.TryGetValues(GrpcProtocol.MessageName, out var texts) ? GrpcMessageEncoding.Decode(texts.Single()) : null;
        return (status, message, trailersOnly);
    }

    public void Dispose() => http.Dispose();
}
