using System.Text;
using Inference.Host.Transport.Health;

namespace Inference.Host.Tests.Transport.Health;

public sealed class HealthRequestTests
{
    [Theory]
    [InlineData("GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/v2/health/ready", true, 0)]
    [InlineData("HEAD /v2/health/live?probe=1 HTTP/1.1\r\n\r\n", "HEAD", "/v2/health/live", true, 0)]
    [InlineData("GET /v2/health/live HTTP/1.1\r\nConnection: close\r\n\r\n", "GET", "/v2/health/live", false, 0)]
    [InlineData("GET /v2/health/live HTTP/1.0\r\n\r\n", "GET", "/v2/health/live", false, 0)]
    [InlineData("GET /v2/health/live HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n", "GET", "/v2/health/live", true, 0)]
    [InlineData("POST /v2/health/live HTTP/1.1\r\nContent-Length: 12\r\n\r\n", "POST", "/v2/health/live", true, 12)]
    [InlineData("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "POST", "/x", true, -1)]
    public void ReadsTheRequestLineAndTheHeadersThatMatter(string head, string method, string path, bool keepAlive, long contentLength)
    {
        var bytes = Encoding.ASCII.GetBytes(head);
        Assert.Equal(bytes.Length, HealthRequest.HeadLength(bytes));
        Assert.True(HealthRequest.TryParse(bytes, out var request));
        Assert.Equal(new HealthRequest(method, path, keepAlive, contentLength), request);
    }

    [Theory]
    [InlineData("GET /v2/health/live\r\n\r\n")]
    [InlineData("GET v2/health/live HTTP/1.1\r\n\r\n")]
    [InlineData("GET /v2/health/live HTTP/2.0\r\n\r\n")]
    [InlineData("\r\n\r\n")]
    [InlineData("GET /a HTTP/1.1\r\nContent-Length: lots\r\n\r\n")]
    public void RefusesWhatIsNotAnHttp1RequestHead(string head) =>
        Assert.False(HealthRequest.TryParse(Encoding.ASCII.GetBytes(head), out _));

    [Fact]
    public void AnIncompleteHeadHasNoLengthYetAndPipelinedBytesAreNotPartOfIt()
    {
        Assert.Equal(-1, HealthRequest.HeadLength("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n"u8));
        var two = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"u8;
        Assert.Equal(19, HealthRequest.HeadLength(two));
    }
}
