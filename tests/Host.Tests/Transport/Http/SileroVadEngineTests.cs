using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Tests.Engines;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

/// <summary>The Silero VAD sample on the default host, one-shot over the engine API, end to end.</summary>
public sealed class SileroVadEngineTests(DefaultHostFixture host) : IClassFixture<DefaultHostFixture>
{
    private static readonly byte[] Speech = File.ReadAllBytes(Path.Combine(SileroVadFixture.PackageDirectory, "tests", "two_sentences.pcm"));

    [Fact]
    public async Task TheDefaultHostFindsTheSpeechInBase64Audio()
    {
        var truth = SileroVadSampleTests.SpeechSpans(Speech);

        var (status, body) = await Post(Speech, new Dictionary<string, object?>());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("header").GetProperty("code").GetInt32());
        var segments = body.GetProperty("payload").GetProperty("segments");
        Assert.Equal("utf8", segments.GetProperty("encoding").GetString());
        var found = SileroVadSampleTests.Parse(segments.GetProperty("text").GetString()!);
        Assert.Equal(truth.Count, found.Count);
        for (var i = 0; i < truth.Count; i++)
        {
            Assert.InRange(found[i].StartMs, truth[i].StartMs - 150, truth[i].StartMs + 150);
            Assert.InRange(found[i].EndMs, truth[i].EndMs - 150, truth[i].EndMs + 150);
        }

        var (_, unpadded) = await Post(Speech, new Dictionary<string, object?> { ["speech_pad_ms"] = 0 });
        var withoutPad = SileroVadSampleTests.Parse(unpadded.GetProperty("payload").GetProperty("segments").GetProperty("text").GetString()!);
        Assert.Equal(found.Select(s => (s.StartMs + 30, s.EndMs - 30)), withoutPad.Select(s => (s.StartMs, s.EndMs)));
    }

    [Fact]
    public async Task AudioOfAnOddByteCountIsThePluginsError()
    {
        var (status, body) = await Post(Speech[..1001], new Dictionary<string, object?>());

        Assert.Equal((HttpStatusCode)422, status);
        var header = body.GetProperty("header");
        Assert.Equal(30002, header.GetProperty("code").GetInt32());
        Assert.Contains("VAD_ERROR_PARTIAL_SAMPLE", header.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Send whole PCM16 LE samples", header.GetProperty("strategy").GetString());
    }

    [Fact]
    public async Task TheHostChecksTheManifestsRangesFirst()
    {
        var (status, body) = await Post(Speech, new Dictionary<string, object?> { ["threshold"] = 1.5 });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(10402, body.GetProperty("header").GetProperty("code").GetInt32());
        Assert.Contains("'threshold'", body.GetProperty("header").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(byte[] pcm, Dictionary<string, object?> parameters)
    {
        var request = new Dictionary<string, object?>
        {
            ["header"] = new { request_id = "vad-1", status = 3 },
            ["parameter"] = parameters,
            ["payload"] = new Dictionary<string, object?> { ["audio"] = new { encoding = "pcm_s16le", status = 3, data = Convert.ToBase64String(pcm) } },
        };
        using var response = await host.Client.PostAsJsonAsync("/v1/engines/silero_vad", request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
