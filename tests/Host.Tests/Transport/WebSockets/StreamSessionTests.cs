using System.Text.Json;
using Inference.Host.Tests.Infrastructure;
using static Inference.Host.Tests.Transport.WebSockets.StreamClient;

namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>
/// Streaming sessions that go well, for a managed plugin (echo), the native sample in sync mode
/// (textnative: wrapperRead after each write, polling after the last) and in async mode (textasync:
/// callbacks): each chunk's result arrives before the next chunk is sent, results carry their status
/// and a sequence number, the End result closes with 1000, and the slot and the plugin session are freed.
/// </summary>
[Collection(StreamingCollection.Name)]
public sealed class StreamSessionTests(StreamingHost host)
{
    [Theory]
    [InlineData("echo")]
    [InlineData("textnative")]
    [InlineData("textasync")]
    public async Task EachChunksResultComesBeforeTheNextChunkAndTheEndClosesWith1000(string service)
    {
        var before = host.Counters(service).Ended;
        await using var client = await OpenAsync(host.BaseAddress, service, new { mode = "upper" }.For(service));

        await client.SendTextChunkAsync("hel", status: 0);
        var first = await client.ReceiveAsync();
        await client.SendTextChunkAsync("lo ", status: 1);
        var second = await client.ReceiveAsync();
        await client.SendTextChunkAsync("you", status: 2);
        var (code, reason, rest) = await client.ReceiveCloseAsync();

        List<JsonElement> frames = [first, second, .. rest];
        Assert.Equal(["HEL", "LO ", "YOU", "HELLO YOU"], frames.Select(f => Text(f)));
        Assert.Equal([1, 2, 3, 4], frames.Select(f => f.GetProperty("payload").GetProperty("result").GetProperty("seq").GetInt32()));
        Assert.All(frames, f => Assert.Equal(0, f.GetProperty("header").GetProperty("code").GetInt32()));
        Assert.Equal(2, Status(frames[^1]));
        Assert.All(frames[..^1], f => Assert.NotEqual(2, Status(f)));
        Assert.Single(frames.Select(f => f.GetProperty("header").GetProperty("sid").GetString()).Distinct());
        Assert.Equal((1000, "end"), (code, reason));
        await host.WaitUntilFreedAsync(service);
        Assert.Equal(before + 1, host.Counters(service).Ended);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("textnative")]
    public async Task BinaryFramesGoToTheCurrentSegmentAndAHeaderStatusEndsIt(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);

        await client.SendBinaryAsync("abc"u8.ToArray());
        Assert.Equal("ABC", Text(await client.ReceiveAsync()));
        await client.SendBinaryAsync("def"u8.ToArray());
        Assert.Equal("DEF", Text(await client.ReceiveAsync()));
        await client.SendAsync(new { header = new { status = 2 } });
        var (code, _, frames) = await client.ReceiveCloseAsync();

        Assert.Equal(1000, code);
        Assert.Equal("ABCDEF", Text(frames[^1]));
        Assert.Equal(2, Status(frames[^1]));
        await host.WaitUntilFreedAsync(service);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("textnative")]
    [InlineData("textasync")]
    public async Task ChunksThatArriveOutOfOrderAreReorderedWithinTheWindow(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);

        // 3 and 2 wait for 1; 4 (the end) comes last.
        await client.SendTextChunkAsync("c", status: 1, seq: 3);
        await client.SendTextChunkAsync("b", status: 1, seq: 2);
        await client.SendTextChunkAsync("a", status: 0, seq: 1);
        await client.SendTextChunkAsync("d", status: 2, seq: 4);
        var (code, _, frames) = await client.ReceiveCloseAsync();

        Assert.Equal(1000, code);
        Assert.Equal(["A", "B", "C", "D", "ABCD"], frames.Select(f => Text(f)));
        await host.WaitUntilFreedAsync(service);
    }

    [Fact]
    public async Task AnEndThatArrivesEarlyWaitsForTheChunksBeforeIt()
    {
        await using var client = await OpenAsync(host.BaseAddress, "echo");

        await client.SendTextChunkAsync("z", status: 2, seq: 3);
        await client.SendTextChunkAsync("x", status: 0, seq: 1);
        await client.SendTextChunkAsync("y", status: 1, seq: 2);
        var (code, _, frames) = await client.ReceiveCloseAsync();

        Assert.Equal(1000, code);
        Assert.Equal("XYZ", Text(frames[^1]));
    }

    [Fact]
    public async Task TheWholeStreamInOneFrameWithStatusOnce()
    {
        await using var client = await ConnectAsync(host.BaseAddress, "textnative");

        await client.SendAsync(new { header = new { status = 3 }, parameter = new { mode = "reverse" }, payload = new { text = new { encoding = "utf8", status = 3, text = "stressed" } } });
        var (code, _, frames) = await client.ReceiveCloseAsync();

        Assert.Equal(1000, code);
        Assert.Equal("desserts", Text(frames[^1]));
        Assert.Equal(2, Status(frames[^1]));
    }
}
