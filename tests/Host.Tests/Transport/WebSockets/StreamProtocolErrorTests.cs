using Inference.Host.Tests.Infrastructure;
using static Inference.Host.Tests.Transport.WebSockets.StreamClient;

namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>
/// What a client can get wrong, for the managed and the native plugin alike: each ends the session
/// with an error frame (its code, a message naming the problem) and the close code for its class
/// (4400 protocol, 1009 too large), and frees the slot and the plugin session.
/// </summary>
[Collection(StreamingCollection.Name)]
public sealed class StreamProtocolErrorTests(StreamingHost host)
{
    public static TheoryData<string> Engines => ["echo", "textnative"];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AFrameThatIsNotJsonIs10400(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0);
        await client.ReceiveAsync();

        await client.SendTextAsync("{\"payload\": ");
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10400, 4400), (code, close));
        Assert.StartsWith("a text frame must be JSON", message, StringComparison.Ordinal);
        await host.WaitUntilFreedAsync(service);
    }

    [Theory]
    [InlineData("{\"payload\": {\"text\": {\"status\": 7, \"text\": \"a\"}}}", 10400, "status must be 0 (begin), 1 (continue), 2 (end) or 3 (once)")]
    [InlineData("{\"payload\": {\"text\": {\"text\": \"a\", \"seq\": 0}}}", 10400, "seq must be a positive integer")]
    [InlineData("{\"payload\": {\"text\": {\"text\": \"a\", \"data\": \"YQ==\"}}}", 10400, "has both data and text")]
    [InlineData("{\"payload\": {\"text\": {\"data\": \"not base64!\"}}}", 10400, "data must be base64")]
    [InlineData("{\"payload\": {\"audio\": {\"text\": \"a\"}}}", 10405, "payload segment 'audio' is not a request segment (declared: text)")]
    [InlineData("{\"payload\": {\"text\": {\"encoding\": \"latin1\", \"text\": \"a\"}}}", 10405, "it accepts utf8")]
    [InlineData("{\"parameter\": {\"mode\": \"upper\"}, \"payload\": {\"text\": {\"text\": \"a\"}}}", 10400, "parameter is read from the first frame only")]
    [InlineData("[1, 2]", 10400, "must be a JSON object")]
    public async Task AFrameThatDoesNotFitTheProtocolOrTheManifestIsRefusedWithItsCode(string frame, int expectedCode, string expectedMessage)
    {
        await using var client = await OpenAsync(host.BaseAddress, "textnative");

        await client.SendTextAsync(frame);
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((expectedCode, 4400), (code, close));
        Assert.Contains(expectedMessage, message, StringComparison.Ordinal);
        await host.WaitUntilFreedAsync("textnative");
    }

    [Theory]
    [InlineData("{\"parameter\": {\"mode\": \"sideways\"}}", 10402)]
    [InlineData("{\"parameter\": {\"colour\": \"red\"}}", 10403)]
    public async Task TheFirstFramesParametersAreCheckedAgainstTheManifest(string frame, int expectedCode)
    {
        await using var client = await ConnectAsync(host.BaseAddress, "textnative");

        await client.SendTextAsync(frame);
        var (code, _, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((expectedCode, 4400), (code, close));
        await host.WaitUntilFreedAsync("textnative");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ASequenceNumberReceivedTwiceIs10408(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0, seq: 1);
        await client.ReceiveAsync();

        await client.SendTextChunkAsync("b", status: 1, seq: 3); // held
        await client.SendTextChunkAsync("c", status: 1, seq: 3);
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10408, 4400), (code, close));
        Assert.Equal("frame 3 was already received", message);
        await host.WaitUntilFreedAsync(service);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AFrameDeliveredAlreadyIsADuplicateToo(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0, seq: 1);
        await client.ReceiveAsync();

        await client.SendTextChunkAsync("a", status: 1, seq: 1);
        var (code, _, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10408, 4400), (code, close));
        await host.WaitUntilFreedAsync(service);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AGapBeyondTheReorderWindowIs10409(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0, seq: 1);
        await client.ReceiveAsync();

        // The next in order is 2; the window holds 4 (2..5), so 6 cannot wait for the gap.
        await client.SendTextChunkAsync("f", status: 1, seq: 2 + StreamingHost.ReorderWindow);
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10409, 4400), (code, close));
        Assert.Equal("frame 6 is 4 ahead of frame 2, the next in order; the reorder window holds 4 (Host:StreamReorderWindow)", message);
        await host.WaitUntilFreedAsync(service);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AFrameAfterTheEndIs10409(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);

        await client.SendTextChunkAsync("z", status: 2, seq: 2); // held: 1 has not come
        await client.SendTextChunkAsync("!", status: 1, seq: 3);
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10409, 4400), (code, close));
        Assert.Equal("frame 3 comes after frame 2, which ended the stream", message);
        await host.WaitUntilFreedAsync(service);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task BeginAfterTheFirstFrameIs10400(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendTextChunkAsync("a", status: 0);
        await client.ReceiveAsync();

        await client.SendTextChunkAsync("b", status: 0);
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10400, 4400), (code, close));
        Assert.Contains("status 0 (begin) is for the first frame only", message, StringComparison.Ordinal);
        await host.WaitUntilFreedAsync(service);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task AMessageOverTheLimitIs10410AndClosesWith1009(string service)
    {
        await using var client = await OpenAsync(host.BaseAddress, service);
        await client.SendBinaryAsync(new byte[StreamingHost.MaxMessageBytes]); // at the limit: taken
        await client.ReceiveAsync();

        await client.SendBinaryAsync(new byte[StreamingHost.MaxMessageBytes + 1]);
        var (code, message, close, _) = await client.ReceiveErrorAsync();

        Assert.Equal((10410, 1009), (code, close));
        Assert.Contains($"larger than {StreamingHost.MaxMessageBytes} bytes (Host:StreamMaxMessageBytes)", message, StringComparison.Ordinal);
        await host.WaitUntilFreedAsync(service);
    }
}
