using System.Text;
using Inference.Host.Protocol.Engine;
using Inference.Packaging.Manifest;

namespace Inference.Host.Tests.Protocol.Engine;

public sealed class EngineRequestReaderTests
{
    private static readonly PluginManifest Manifest = ManifestReader.Read("""
        service: { id: classifier, version: 1.0.0 }
        parameters:
          - { name: top_k, type: integer, range: { min: 1, max: 10 }, required: true }
          - { name: language, type: enum, enum: [ { value: en, meaning: English }, { value: zh, meaning: Chinese } ], default: en }
          - { name: threshold, type: float, range: { min: 0, max: 1 }, default: 0.5 }
        request:
          - { name: text, type: text, encodings: [utf8] }
          - { name: image, type: image, encodings: [jpg, png] }
        response:
          - { name: result, type: text, encodings: [json, plain] }
        config: { maxConcurrency: 4, optimalConcurrency: 2 }
        resources: { preset: C1 }
        engine: { kind: managed, assembly: p.dll, type: P }
        """).Manifest ?? throw new InvalidOperationException("test manifest is invalid");

    [Fact]
    public void AValidRequestIsTypedAndDefaultsAreFilledIn()
    {
        var error = Read("""
            {"header": {"request_id": "r1", "app_id": "app", "status": 3},
             "parameter": {"top_k": 3, "expect": {"result": {"encoding": "plain"}}},
             "payload": {"text": {"encoding": "utf8", "text": "héllo"}, "image": {"encoding": "png", "data": "AQID"}}}
            """, out var request);

        Assert.Null(error);
        Assert.Equal("r1", request!.RequestId);
        Assert.Equal("app", request.AppId);
        Assert.Equal(3L, request.Parameters["top_k"]);
        Assert.Equal("en", request.Parameters["language"]);
        Assert.Equal(0.5, request.Parameters["threshold"]);
        Assert.Equal("plain", request.Expect["result"]);
        Assert.Equal("héllo", Encoding.UTF8.GetString(request.Payload["text"].Data.Span));
        Assert.Equal(new byte[] { 1, 2, 3 }, request.Payload["image"].Data.ToArray());
        Assert.Equal("png", request.Payload["image"].Encoding);
    }

    [Fact]
    public void AMissingHeaderGetsARequestIdAndOnceStatus()
    {
        var error = Read("""{"parameter": {"top_k": 1}, "payload": {"text": {"text": "a"}, "image": {"data": ""}}}""", out var request);

        Assert.Null(error);
        Assert.Equal(32, request!.RequestId.Length);
        Assert.Equal(EngineRequestReader.StatusOnce, request.Status);
        Assert.Equal("utf8", request.Payload["text"].Encoding);
    }

    [Theory]
    [InlineData("""{"top_k": 0}""", EngineErrorCodes.InvalidParameter, "'top_k'")]
    [InlineData("""{"top_k": "three"}""", EngineErrorCodes.InvalidParameter, "must be an integer")]
    [InlineData("""{"top_k": 2, "language": "fr"}""", EngineErrorCodes.InvalidParameter, "must be one of en, zh")]
    [InlineData("""{"top_k": 2, "colour": "red"}""", EngineErrorCodes.UnknownParameter, "'colour'")]
    [InlineData("""{}""", EngineErrorCodes.MissingParameter, "'top_k'")]
    [InlineData("""{"top_k": [1]}""", EngineErrorCodes.InvalidParameter, "'top_k'")]
    [InlineData("""{"top_k": 2, "expect": {"score": {}}}""", EngineErrorCodes.InvalidExpect, "'score'")]
    [InlineData("""{"top_k": 2, "expect": {"result": {"encoding": "xml"}}}""", EngineErrorCodes.InvalidExpect, "'xml'")]
    public void ParameterProblemsHaveTheirCodeAndNames(string parameter, int code, string named)
    {
        var error = Read("""{"parameter": """ + parameter + """, "payload": {"text": {"text": "a"}, "image": {"data": ""}}}""", out var request);

        Assert.Null(request);
        Assert.Equal(code, error!.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text": {"text": "a"}}""", EngineErrorCodes.MissingSegment, "'image'")]
    [InlineData("""{"text": {"text": "a"}, "image": {"data": ""}, "audio": {"data": ""}}""", EngineErrorCodes.InvalidSegment, "'audio'")]
    [InlineData("""{"text": {"text": "a"}, "image": {"encoding": "gif", "data": ""}}""", EngineErrorCodes.InvalidSegment, "'gif'")]
    [InlineData("""{"text": {"text": "a"}, "image": {"data": "not base64!"}}""", EngineErrorCodes.InvalidRequest, "base64")]
    [InlineData("""{"text": {"text": "a", "data": "AA=="}, "image": {"data": ""}}""", EngineErrorCodes.InvalidRequest, "either data")]
    [InlineData("""{"text": {"text": "a", "status": 7}, "image": {"data": ""}}""", EngineErrorCodes.InvalidRequest, "status")]
    public void PayloadProblemsHaveTheirCodeAndNames(string payload, int code, string named)
    {
        var error = Read("""{"parameter": {"top_k": 1}, "payload": """ + payload + "}", out _);

        Assert.Equal(code, error!.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllProblemsAreReportedTogetherWithTheFirstCode()
    {
        var error = Read("""{"parameter": {"colour": 1}, "payload": {"text": {"text": "a"}}}""", out _);

        Assert.Equal(EngineErrorCodes.UnknownParameter, error!.Code);
        Assert.Contains("'colour'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'top_k'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'image'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"header": 5, "payload": {}}""")]
    public void MalformedBodiesAreInvalidRequests(string body)
    {
        var error = Read(body, out _);

        Assert.Equal(EngineErrorCodes.InvalidRequest, error!.Code);
    }

    private static EngineRequestError? Read(string body, out EngineRequest? request) =>
        EngineRequestReader.Read(Encoding.UTF8.GetBytes(body), Manifest, out request);
}
