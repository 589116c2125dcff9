using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;
using Inference.Host.Tests.Transport.WebSockets;

namespace Inference.Host.Tests.Transport.Sse;

/// <summary>
/// POST /v1/engines/{service}/sse: a one-shot request answered as Server-Sent Events, through the plugin's
/// streaming session (managed echo, native sync and async) or at once (ONNX-only gain); failures before
/// the first event as the one-shot API's answers, after it as an error event.
/// </summary>
[Collection(StreamingCollection.Name)]
public sealed class EngineEventsTests(StreamingHost host)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("echo", "HELLO")]
    [InlineData("textnative", "HELLO")]
    [InlineData("textasync", "HELLO")]
    public async Task ASessionsResultsArriveAsEventsEndingWithTheEndResult(string service, string expected)
    {
        using var response = await PostAsync(service, TextRequest("hello", status: 3));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        var events = await ReadAllAsync(response);
        Assert.All(events, e => Assert.Null(e.Event));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => Segment(e.Data).GetProperty("seq").GetInt64()));
        Assert.All(events, e => Assert.Equal(0, e.Data.GetProperty("header").GetProperty("code").GetInt32()));
        var last = events[^1].Data;
        Assert.Contains(last.GetProperty("header").GetProperty("status").GetInt32(), new[] { 2, 3 });
        Assert.Contains(expected, Segment(last).GetProperty("text").GetString(), StringComparison.Ordinal);
        await host.WaitUntilFreedAsync(service);
    }

    [Fact]
    public async Task AnOnnxOnlyEngineAnswersItsResultsAtOnceAsEvents()
    {
        using var response = await PostAsync("gain", new
        {
            header = new { request_id = "g-1", status = 3 },
            parameter = new { gain = 2.0, channel = "left", expect = new { scaled = new { encoding = "json" } } },
            payload = new { audio = new { encoding = "raw", status = 3, data = "AAAAPwAAgL8AAEBA" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await ReadAllAsync(response);
        var only = Assert.Single(events);
        Assert.Equal("g-1", only.Data.GetProperty("header").GetProperty("sid").GetString());
        Assert.Contains("[1,-2,6]", Segment(only.Data).GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailuresBeforeTheFirstEventAreTheOneShotAnswers()
    {
        using var unknown = await PostAsync("no_such_engine", TextRequest("hello", status: 3));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(10101, (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header").GetProperty("code").GetInt32());

        using var badParameter = await PostAsync("textnative", new { parameter = new { mode = "sideways" }, payload = new { text = new { text = "x", status = 3 } } });
        Assert.Equal(HttpStatusCode.BadRequest, badParameter.StatusCode);
        Assert.Contains("mode", (await badParameter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header").GetProperty("message").GetString(), StringComparison.Ordinal);

        // Three bytes are not whole PCM16 samples: the VAD's session refuses the chunk before any result.
        using var refused = await PostAsync("silero_vad", new { payload = new { audio = new { encoding = "pcm_s16le", status = 3, data = "AAAA" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var header = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header");
        Assert.Equal(30002, header.GetProperty("code").GetInt32());
        Assert.Equal("Send whole PCM16 LE samples", header.GetProperty("strategy").GetString());
        await LoadControlHost.WaitUntil(() => host.Gate("silero_vad").Snapshot().Running == 0);
    }

    [Fact]
    public async Task OverMaxTheCallIsRefusedBeforeAnyEvent()
    {
        var gate = host.Gate("echo");
        var held = new List<HeldSlot>();
        try
        {
            for (var i = 0; i < StreamingHost.MaxSessions; i++)
            {
                held.Add(await HeldSlot.TakeAsync(gate));
            }

            using var response = await PostAsync("echo", TextRequest("hello", status: 3));
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(10110, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("header").GetProperty("code").GetInt32());
        }
        finally
        {
            held.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task ADeadlinePassingAfterTheFirstEventEndsTheStreamWithAnErrorEvent()
    {
        // Status 1 (continue): echo answers the chunk but waits for more, so only the deadline ends it.
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/engines/echo/sse") { Content = JsonContent.Create(TextRequest("hello", status: 1)) };
        request.Headers.Add("Inference-Timeout", "5000000");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(Wait);

        var first = await events.NextAsync(timeout.Token);
        Assert.Equal("HELLO", Segment(first!.Value.Data).GetProperty("text").GetString());
        host.Clock.Advance(TimeSpan.FromSeconds(6));
        var error = await events.NextAsync(timeout.Token);

        Assert.Equal("error", error!.Value.Event);
        Assert.Equal(10111, error.Value.Data.GetProperty("header").GetProperty("code").GetInt32());
        Assert.Null(await events.NextAsync(timeout.Token));
        await LoadControlHost.WaitUntil(() => host.Gate("echo").Snapshot().Running == 0);
    }

    [Fact]
    public async Task AClientThatLeavesMidStreamFreesTheSlot()
    {
        using var leave = new CancellationTokenSource();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/engines/echo/sse") { Content = JsonContent.Create(TextRequest("hello", status: 1)) };
        var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
        var events = new EventStreamReader(await response.Content.ReadAsStreamAsync(leave.Token));
        Assert.NotNull(await events.NextAsync(leave.Token));
        Assert.Equal(1, host.Gate("echo").Snapshot().Running);

        response.Dispose(); // the connection goes away with the stream unfinished
        await LoadControlHost.WaitUntil(() => host.Gate("echo").Snapshot().Running == 0);
    }

    private Task<HttpResponseMessage> PostAsync(string service, object body) =>
        host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/engines/{service}/sse") { Content = JsonContent.Create(body) }, HttpCompletionOption.ResponseHeadersRead);

    private static object TextRequest(string text, int status) => new
    {
        header = new { request_id = "sse-1", status },
        payload = new { text = new { encoding = "utf8", status, text } },
    };

    private static async Task<List<(string? Event, JsonElement Data)>> ReadAllAsync(HttpResponseMessage response)
    {
        using var timeout = new CancellationTokenSource(Wait);
        return await new EventStreamReader(await response.Content.ReadAsStreamAsync(timeout.Token)).ReadAllAsync(timeout.Token);
    }

    private static JsonElement Segment(JsonElement frame) => frame.GetProperty("payload").EnumerateObject().Single().Value;
}
