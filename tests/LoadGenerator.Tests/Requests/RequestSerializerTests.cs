using System.Text;
using Inference.LoadGenerator.Requests;

namespace Inference.LoadGenerator.Tests.Requests;

public sealed class RequestSerializerTests
{
    [Fact]
    public void APostCarriesItsHeadersAndThenItsBody()
    {
        var body = "{\"inputs\":[]}"u8.ToArray();
        var target = new RequestTarget(new Uri("http://127.0.0.1:8080/v2/models/simple/infer?x=1"), "POST",
            [new("Content-Type", "application/json"), new("X-Priority", "3")], body);

        var text = Encoding.ASCII.GetString(RequestSerializer.Serialize(target));

        Assert.Equal(
            "POST /v2/models/simple/infer?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 13\r\n" +
            "Content-Type: application/json\r\nX-Priority: 3\r\n\r\n{\"inputs\":[]}",
            text);
    }

    [Fact]
    public void AGetHasNoContentLengthAndTheDefaultPortStaysOutOfHost()
    {
        var target = new RequestTarget(new Uri("http://example.test/v2/health/live"), "GET", [], []);

        Assert.Equal("GET /v2/health/live HTTP/1.1\r\nHost: example.test\r\n\r\n", Encoding.ASCII.GetString(RequestSerializer.Serialize(target)));
    }

    [Fact]
    public void AGivenHostHeaderReplacesTheGeneratedOne()
    {
        var target = new RequestTarget(new Uri("http://127.0.0.1:9/"), "POST", [new("host", "models.internal")], []);

        var text = Encoding.ASCII.GetString(RequestSerializer.Serialize(target));

        Assert.Equal("POST / HTTP/1.1\r\nContent-Length: 0\r\nhost: models.internal\r\n\r\n", text);
    }

    [Theory]
    [InlineData("X-A:1", "X-A", "1")]
    [InlineData("Inference-Header-Content-Length: 120 ", "Inference-Header-Content-Length", "120")]
    [InlineData("X-Empty:", "X-Empty", "")]
    [InlineData("X-Url: http://a:b/c", "X-Url", "http://a:b/c")]
    public void HeadersParse(string text, string name, string value)
    {
        var header = HeaderField.Parse(text, out var error);

        Assert.Null(error);
        Assert.Equal(new HeaderField(name, value), header);
    }

    [Theory]
    [InlineData("no-colon")]
    [InlineData(":value")]
    [InlineData("bad name:value")]
    [InlineData("X-A:line\nbreak")]
    public void BadHeadersAreRefused(string text)
    {
        Assert.Null(HeaderField.Parse(text, out var error));
        Assert.NotNull(error);
    }
}
