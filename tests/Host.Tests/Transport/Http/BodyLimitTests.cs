using System.Globalization;
using System.Net;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>
/// The request body limit (HostFixture.BodyLimit = 1 MiB): 413 above it, served at it, with or without
/// Content-Length. Over-limit requests go on their own connection: a server that rejects a body it
/// will not read closes that connection, and a client still uploading may see the close first
/// (HTTP/1.1 has no way round that but Expect: 100-continue, or a client that sends no more than it must).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BodyLimitTests(HostFixture host)
{
    private static readonly string Limit = HostFixture.BodyLimit.ToString(CultureInfo.InvariantCulture);

    private readonly OipClient client = new(host.Client);

    [Fact]
    public async Task DeclaredContentLengthOverTheLimitIs413BeforeTheBodyIsSent()
    {
        // Headers only: the host must answer from Content-Length alone, without waiting for the body.
        await using var raw = await RawHttp.ConnectAsync(host.BaseAddress);
        await raw.SendAsync($"POST /v2/models/identity_uint8/infer HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {HostFixture.BodyLimit + 1}\r\n\r\n");
        var (status, headers, body) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(413, status);
        Assert.Equal("application/json", headers["content-type"]);
        Assert.Contains(Limit, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BodyOverTheLimitWithContentLengthIs413()
    {
        var request = RequestOfLength(HostFixture.BodyLimit + 1);
        using var own = new HttpClient { BaseAddress = host.BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Post, OipClient.InferPath("identity_uint8")) { Content = request.ToContent() };
        message.Headers.ExpectContinue = true;
        using var response = await own.SendAsync(message);
        Assert.Equal(HostFixture.BodyLimit + 1, message.Content.Headers.ContentLength);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, Limit);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BodyOverTheLimitSentChunkedIs413()
    {
        var request = RequestOfLength(HostFixture.BodyLimit + 1);
        using var own = new HttpClient { BaseAddress = host.BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Post, OipClient.InferPath("identity_uint8")) { Content = request.ToContent(chunked: true) };
        using var response = await own.SendAsync(message);
        Assert.Null(message.Content.Headers.ContentLength);
        Assert.True(message.Headers.TransferEncodingChunked);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, Limit);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task JsonBodyOverTheLimitIs413()
    {
        // About 1.2 MB of JSON digits.
        var json = "{\"inputs\":[{\"name\":\"IN\",\"datatype\":\"UINT8\",\"shape\":[1,300000],\"data\":[" + string.Join(",", Enumerable.Repeat("255", 300_000)) + "]}]}";
        Assert.True(json.Length > HostFixture.BodyLimit);
        using var own = new HttpClient { BaseAddress = host.BaseAddress };
        using var message = new HttpRequestMessage(HttpMethod.Post, OipClient.InferPath("identity_uint8")) { Content = OipClient.Json(json) };
        message.Headers.ExpectContinue = true;
        using var response = await own.SendAsync(message);
        await OipClient.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task BodyOfExactlyTheLimitIsServed()
    {
        var request = RequestOfLength(HostFixture.BodyLimit, binaryOutput: true);
        var (body, headerLength) = request.Build();
        Assert.Equal(HostFixture.BodyLimit, body.Length);
        using var response = await host.Client.PostAsync(OipClient.InferPath("identity_uint8"), request.ToContent());
        var result = await InferResult.ReadAsync(response);
        Assert.Equal(body.AsSpan(headerLength).ToArray(), result.Output("OUT").Binary);
    }

    [Fact]
    public async Task ChunkedBodyUnderTheLimitIsServed()
    {
        // 4 KiB under the limit, in the 8 KiB chunks StreamContent writes.
        var request = RequestOfLength(HostFixture.BodyLimit - 4096, binaryOutput: true);
        var (body, headerLength) = request.Build();
        using var response = await host.Client.PostAsync(OipClient.InferPath("identity_uint8"), request.ToContent(chunked: true));
        var result = await InferResult.ReadAsync(response);
        Assert.Equal(body.AsSpan(headerLength).ToArray(), result.Output("OUT").Binary);
    }

    [Fact]
    public async Task ChunkedBodyUnderTheLimitInSmallChunksIsServed()
    {
        // 2 KiB under the limit, sent in 1000-byte chunks: about 1050 chunks of 7 framing bytes each ("3e8\r\n", "\r\n").
        var request = RequestOfLength(HostFixture.BodyLimit - 2048, binaryOutput: true);
        var (body, headerLength) = request.Build();
        var content = new ChunkedContent(body, chunkSize: 1000);
        content.Headers.TryAddWithoutValidation(OipClient.HeaderLengthHeader, headerLength.ToString(CultureInfo.InvariantCulture));
        using var response = await host.Client.PostAsync(OipClient.InferPath("identity_uint8"), content);
        var result = await InferResult.ReadAsync(response);
        Assert.Equal(body.AsSpan(headerLength).ToArray(), result.Output("OUT").Binary);
    }

    [Fact]
    public async Task RejectedUnreadBodySaysConnectionClose()
    {
        await using var raw = await RawHttp.ConnectAsync(host.BaseAddress);
        await raw.SendAsync($"POST /v2/models/identity_uint8/infer HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {HostFixture.BodyLimit + 1}\r\n\r\n");
        var (status, headers, _) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(413, status);
        var closes = await raw.IsClosedByServerAsync(TimeSpan.FromSeconds(3));
        Assert.True(closes, "the server kept the connection after a 413 for a body it did not read");
        Assert.True(headers.TryGetValue("connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase),
            "the server closes the connection after the 413 but did not say 'Connection: close'");
    }

    /// <summary>A valid UINT8 [1, n] binary request whose whole body is exactly <paramref name="total"/> bytes.</summary>
    private static BinaryRequest RequestOfLength(long total, bool binaryOutput = false)
    {
        var n = total - 200;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var probe = new BinaryRequest().BinaryInput("IN", "UINT8", [1, n], new byte[n]).BinaryDataOutput(binaryOutput);
            var headerLength = probe.Build().HeaderLength;
            if (headerLength + n == total)
            {
                break;
            }

            n = total - headerLength;
        }

        var bytes = new byte[n];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        var request = new BinaryRequest().BinaryInput("IN", "UINT8", [1, n], bytes).BinaryDataOutput(binaryOutput);
        Assert.Equal(total, request.Build().Body.Length);
        return request;
    }

    /// <summary>Sends its bytes with chunked transfer encoding, one chunk per write of <paramref name="chunkSize"/> bytes.</summary>
    private sealed class ChunkedContent(byte[] body, int chunkSize) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < body.Length; i += chunkSize)
            {
                await stream.WriteAsync(body.AsMemory(i, Math.Min(chunkSize, body.Length - i)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
