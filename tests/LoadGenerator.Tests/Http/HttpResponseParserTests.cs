using System.Text;
using Inference.LoadGenerator.Http;

namespace Inference.LoadGenerator.Tests.Http;

public sealed class HttpResponseParserTests
{
    private const string ContentLengthResponse = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";

    private const string ChunkedResponse =
        "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\nRetry-After: 1\r\n\r\n" +
        "5\r\nhello\r\n" +
        "1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n" +
        "0\r\nX-Trailer: yes\r\n\r\n";

    [Fact]
    public void AContentLengthResponseEndsAfterItsBody()
    {
        var (parser, consumed) = ParseWhole(ContentLengthResponse);

        Assert.True(parser.IsComplete);
        Assert.Equal(200, parser.StatusCode);
        Assert.Equal(11, parser.BodyLength);
        Assert.True(parser.KeepAlive);
        Assert.Equal(ContentLengthResponse.Length, consumed);
    }

    [Fact]
    public void AChunkedResponseEndsAfterItsLastChunkAndTrailers()
    {
        var (parser, consumed) = ParseWhole(ChunkedResponse);

        Assert.True(parser.IsComplete);
        Assert.Equal(429, parser.StatusCode);
        Assert.Equal(5 + 26, parser.BodyLength);
        Assert.True(parser.KeepAlive);
        Assert.Equal(ChunkedResponse.Length, consumed);
    }

    [Theory]
    [InlineData(ContentLengthResponse, 200, 11)]
    [InlineData(ChunkedResponse, 429, 31)]
    public void ResponsesSplitAtAnyByteParseTheSame(string response, int status, long bodyLength)
    {
        var bytes = Encoding.ASCII.GetBytes(response);
        for (var split = 1; split < bytes.Length; split++)
        {
            var parser = new HttpResponseParser();
            parser.Reset();
            var first = parser.Parse(bytes.AsSpan(0, split));
            Assert.Equal(split, first);
            Assert.False(parser.IsComplete, $"complete after only {split} of {bytes.Length} bytes");
            var second = parser.Parse(bytes.AsSpan(split));

            Assert.Equal(bytes.Length - split, second);
            Assert.True(parser.IsComplete, $"split at {split}");
            Assert.Equal(status, parser.StatusCode);
            Assert.Equal(bodyLength, parser.BodyLength);
        }
    }

    [Fact]
    public void OneByteAtATimeParsesTheSame()
    {
        var bytes = Encoding.ASCII.GetBytes(ChunkedResponse);
        var parser = new HttpResponseParser();
        parser.Reset();
        foreach (var b in bytes)
        {
            Assert.False(parser.IsComplete);
            Assert.Equal(1, parser.Parse([b]));
        }

        Assert.True(parser.IsComplete);
        Assert.Equal(31, parser.BodyLength);
    }

    [Fact]
    public void PipelinedResponsesOnOneConnectionAreReadOneAfterTheOther()
    {
        var third = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(ContentLengthResponse + ChunkedResponse + third);
        var parser = new HttpResponseParser();
        var statuses = new List<int>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            parser.Reset();
            offset += parser.Parse(bytes.AsSpan(offset));
            Assert.True(parser.IsComplete);
            statuses.Add(parser.StatusCode);
        }

        Assert.Equal([200, 429, 503], statuses);
        Assert.Equal(bytes.Length, offset);
    }

    [Fact]
    public void ParsingStopsAtTheEndOfTheResponseEvenWithMoreBytesBehindIt()
    {
        var bytes = Encoding.ASCII.GetBytes(ContentLengthResponse + "HTTP/1.1 200 OK\r\n");
        var parser = new HttpResponseParser();
        parser.Reset();

        Assert.Equal(ContentLengthResponse.Length, parser.Parse(bytes));
        Assert.True(parser.IsComplete);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true)]
    public void KeepAliveFollowsTheVersionAndTheConnectionHeader(string response, bool keepAlive)
    {
        var (parser, _) = ParseWhole(response);

        Assert.True(parser.IsComplete);
        Assert.Equal(keepAlive, parser.KeepAlive);
    }

    [Fact]
    public void ABodyWithoutLengthRunsToTheEndOfTheStream()
    {
        var (parser, _) = ParseWhole("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome text");

        Assert.False(parser.IsComplete);
        Assert.Equal(9, parser.BodyLength);
        Assert.True(parser.CompleteAtEndOfStream());
        Assert.False(parser.KeepAlive);
    }

    [Fact]
    public void AClosedStreamInTheMiddleOfABodyIsNotAComplete()
    {
        var (parser, _) = ParseWhole("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");

        Assert.False(parser.CompleteAtEndOfStream());
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", false)]
    [InlineData("HTTP/1.1 304 Not Modified\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", true)]
    public void ResponsesWithoutABodyEndAtTheirHeaders(string response, bool headRequest)
    {
        var parser = new HttpResponseParser();
        parser.Reset(headRequest);
        parser.Parse(Encoding.ASCII.GetBytes(response));

        Assert.True(parser.IsComplete);
        Assert.Equal(0, parser.BodyLength);
    }

    [Fact]
    public void AnInterimResponseIsSkipped()
    {
        var (parser, _) = ParseWhole("HTTP/1.1 100 Continue\r\n\r\n" + ContentLengthResponse);

        Assert.True(parser.IsComplete);
        Assert.Equal(200, parser.StatusCode);
        Assert.Equal(11, parser.BodyLength);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n")]
    public void MalformedResponsesAreProtocolErrors(string response)
    {
        var parser = new HttpResponseParser();
        parser.Reset();

        Assert.Throws<MalformedResponseException>(() => parser.Parse(Encoding.ASCII.GetBytes(response)));
    }

    [Fact]
    public void EndlessHeadersAreAProtocolError()
    {
        var parser = new HttpResponseParser();
        parser.Reset();
        parser.Parse("HTTP/1.1 200 OK\r\n"u8);
        var header = Encoding.ASCII.GetBytes("X-Filler: " + new string('a', 1000) + "\r\n");

        Assert.Throws<MalformedResponseException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                parser.Parse(header);
            }
        });
    }

    private static (HttpResponseParser Parser, int Consumed) ParseWhole(string response)
    {
        var parser = new HttpResponseParser();
        parser.Reset();
        var consumed = parser.Parse(Encoding.ASCII.GetBytes(response));
        return (parser, consumed);
    }
}
