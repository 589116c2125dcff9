using Inference.Host.Tests.Engines;
using Inference.Host.Tests.Infrastructure;
using static Inference.Host.Tests.Transport.WebSockets.StreamClient;

namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>
/// The Silero VAD sample as a live stream: 16 kHz PCM sent in 100 ms binary frames, its speech segment
/// pushed back (start and end in ms) as soon as its end is known, before the client has ended the stream.
/// </summary>
[Collection(StreamingCollection.Name)]
public sealed class SileroVadStreamTests(StreamingHost host)
{
    private const int BytesPerMs = 32; // 16 kHz, 2 bytes a sample
    private const int ChunkBytes = 100 * BytesPerMs;
    private const double ToleranceMs = 150;

    private static readonly byte[] Speech = File.ReadAllBytes(Path.Combine(SileroVadFixture.PackageDirectory, "tests", "two_sentences.pcm"));

    [Fact]
    public async Task SilenceThenSpeechThenSilenceGivesOneSegmentWhereTheSpeechIs()
    {
        // The signal: 1 s of silence, one spoken sentence (the sample's first, cut where its sound starts and ends), 1.5 s of silence.
        var sentence = SileroVadSampleTests.SpeechSpans(Speech)[0];
        var voiced = Speech[((int)sentence.StartMs * BytesPerMs)..((int)sentence.EndMs * BytesPerMs)];
        byte[] signal = [.. new byte[1000 * BytesPerMs], .. voiced, .. new byte[1500 * BytesPerMs]];
        var speechMs = voiced.Length / (double)BytesPerMs;
        await using var client = await OpenAsync(host.BaseAddress, "silero_vad", new { threshold = 0.5, min_silence_ms = 100 });

        // Everything but the end: the segment must come back while the stream is still open.
        var reading = client.ReceiveAsync();
        for (var offset = 0; offset < signal.Length; offset += ChunkBytes)
        {
            await client.SendBinaryAsync(signal[offset..Math.Min(offset + ChunkBytes, signal.Length)]);
        }

        var found = await reading;
        await client.SendAsync(new { header = new { status = 2 } });
        var (close, _, rest) = await client.ReceiveCloseAsync();

        Assert.Equal(1, Status(found));
        var segment = Assert.Single(SileroVadSampleTests.Parse(Text(found, "segments")));
        Assert.InRange(segment.StartMs, 1000 - ToleranceMs, 1000 + ToleranceMs);
        Assert.InRange(segment.EndMs, 1000 + speechMs - ToleranceMs, 1000 + speechMs + ToleranceMs);
        Assert.Equal(2, Status(Assert.Single(rest)));
        Assert.Equal("", Text(rest[0], "segments")); // nothing more: the silence at the end holds no speech
        Assert.Equal(1000, close);
        await host.WaitUntilFreedAsync("silero_vad");
    }

    [Fact]
    public async Task AudioThatIsNotWholeSamplesIsThePluginsErrorWithItsDescriptionAndStrategy()
    {
        await using var client = await OpenAsync(host.BaseAddress, "silero_vad");

        await client.SendBinaryAsync(new byte[1001]);
        await client.SendAsync(new { header = new { status = 2 } });
        var (code, message, close, header) = await client.ReceiveErrorAsync();

        Assert.Equal((30002, 4422), (code, close));
        Assert.Contains("VAD_ERROR_PARTIAL_SAMPLE", message, StringComparison.Ordinal);
        Assert.Equal("The audio is an odd number of bytes, not whole 16-bit samples", header.GetProperty("description").GetString());
        Assert.Equal("Send whole PCM16 LE samples", header.GetProperty("strategy").GetString());
        await host.WaitUntilFreedAsync("silero_vad");
    }
}
