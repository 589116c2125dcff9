using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Sse;

/// <summary>Triton's generate extension on plain models: /generate as JSON, /generate_stream as one event.</summary>
[Collection(HostCollection.Name)]
public sealed class GenerateTests(HostFixture host)
{
    private static readonly float[] Ramp = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();

    [Fact]
    public async Task GenerateAnswersTheOutputsByName()
    {
        using var response = await host.Client.PostAsJsonAsync("/v2/models/simple/generate", new Dictionary<string, object> { ["id"] = "g-1", ["INPUT0"] = Ramp, ["INPUT1"] = Enumerable.Repeat(1f, 16) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("simple", answer.GetProperty("model_name").GetString());
        Assert.Equal("1", answer.GetProperty("model_version").GetString());
        Assert.Equal("g-1", answer.GetProperty("id").GetString());
        Assert.Equal(Ramp.Select(v => v + 1), Floats(answer.GetProperty("OUTPUT0")));
        Assert.Equal(Ramp.Select(v => v - 1), Floats(answer.GetProperty("OUTPUT1")));
    }

    [Fact]
    public async Task GenerateStreamSendsTheSameAnswerAsOneEvent()
    {
        using var response = await host.Client.PostAsJsonAsync("/v2/models/simple/versions/1/generate_stream", new Dictionary<string, object> { ["INPUT0"] = Ramp, ["INPUT1"] = Ramp });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = await new EventStreamReader(await response.Content.ReadAsStreamAsync(timeout.Token)).ReadAllAsync(timeout.Token);
        var only = Assert.Single(events);
        Assert.Null(only.Event);
        Assert.Equal(Ramp.Select(v => v * 2), Floats(only.Data.GetProperty("OUTPUT0")));
        Assert.All(Floats(only.Data.GetProperty("OUTPUT1")), v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task TextInputsAndOutputsAreStrings()
    {
        using var response = await host.Client.PostAsJsonAsync("/v2/models/string_identity/generate", new Dictionary<string, object> { ["TEXT"] = new[] { "hello", "world" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["hello", "world"], answer.GetProperty("TEXT_OUT").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("/v2/models/simple/generate", """{"INPUT9":[1]}""", HttpStatusCode.BadRequest, "'INPUT9' is not an input of the model")]
    [InlineData("/v2/models/simple/generate_stream", """{"INPUT0":[1,2,3],"INPUT1":[1,2,3]}""", HttpStatusCode.BadRequest, "input 'INPUT0' has shape [1,3]")]
    [InlineData("/v2/models/simple/generate", """{"INPUT0":""", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("/v2/models/nope/generate", """{}""", HttpStatusCode.NotFound, "unknown model 'nope'")]
    public async Task BadRequestsAreAnsweredWithTheirReasonBeforeAnyEvent(string path, string body, HttpStatusCode status, string message)
    {
        using var response = await host.Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
