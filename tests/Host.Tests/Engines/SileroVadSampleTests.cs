using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Inference.Plugins.Sdk;
using Inference.Samples.SileroVad;

namespace Inference.Host.Tests.Engines;

/// <summary>
/// The Silero VAD sample plugin (samples/packages/silero_vad) with the real model in the host's ONNX
/// Runtime: where it finds speech, streaming against one-shot, audio without speech, bad input, sessions
/// side by side, and its manifest against its code.
/// </summary>
public sealed class SileroVadSampleTests(SileroVadFixture vad) : IClassFixture<SileroVadFixture>
{
    private const int SampleRate = 16000;

    /// <summary>How far a boundary may be from where the sound really starts or ends (the default pad is 30 ms of it).</summary>
    private const double ToleranceMs = 150;

    [Fact]
    public async Task EachSentenceIsFoundWhereItIs()
    {
        var truth = SpeechSpans(vad.Speech);
        Assert.Equal(2, truth.Count); // the file is two sentences between silences

        var segments = Parse(await vad.DetectAsync(vad.Speech));

        Assert.Equal(truth.Count, segments.Count);
        for (var i = 0; i < truth.Count; i++)
        {
            Assert.InRange(segments[i].StartMs, truth[i].StartMs - ToleranceMs, truth[i].StartMs + ToleranceMs);
            Assert.InRange(segments[i].EndMs, truth[i].EndMs - ToleranceMs, truth[i].EndMs + ToleranceMs);
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(333)] // odd: samples split across chunks
    [InlineData(1024)]
    [InlineData(32000)]
    public async Task StreamingInChunksOfAnySizeGivesTheOneShotSegments(int chunkBytes)
    {
        var oneShot = await vad.DetectAsync(vad.Speech);

        var results = await vad.StreamAsync(vad.Speech, chunkBytes);

        Assert.Equal(oneShot, string.Concat(results.Select(r => Encoding.UTF8.GetString(r.Data.Span))));
        Assert.Equal(DataStatus.End, results[^1].Status);
        Assert.All(results[..^1], r => Assert.Equal(DataStatus.Continue, r.Status));
        Assert.All(results[..^1], r => Assert.Single(Parse(Encoding.UTF8.GetString(r.Data.Span))));
        Assert.All(results, r => Assert.Equal(("segments", "utf8"), (r.Name, r.Encoding)));
    }

    [Fact]
    public async Task ASegmentArrivesAsSoonAsItsEndIsKnown()
    {
        var truth = SpeechSpans(vad.Speech);
        var middleOfTheGap = (int)((truth[0].EndMs + truth[1].StartMs) / 2 * SampleRate / 1000) * 2;
        var expected = Parse(await vad.DetectAsync(vad.Speech));
        await using var session = vad.Plugin.CreateSession(new Dictionary<string, object?>(), []);
        await using var results = session.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();

        foreach (var chunk in SileroVadFixture.Chunks(vad.Speech[..middleOfTheGap], 4096))
        {
            await session.WriteAsync(chunk with { Status = DataStatus.Continue }, CancellationToken.None);
        }

        // The first sentence is over, the second has not begun: its line is there before the audio ends.
        Assert.True(await results.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(DataStatus.Continue, results.Current.Status);
        Assert.Equal([expected[0]], Parse(Encoding.UTF8.GetString(results.Current.Data.Span)));
        var next = results.MoveNextAsync().AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted, "a result came before the rest of the audio");

        foreach (var chunk in SileroVadFixture.Chunks(vad.Speech[middleOfTheGap..], 4096))
        {
            await session.WriteAsync(chunk, CancellationToken.None);
        }

        var rest = new StringBuilder();
        for (var more = await next; more; more = await results.MoveNextAsync())
        {
            rest.Append(Encoding.UTF8.GetString(results.Current.Data.Span));
        }

        Assert.Equal(expected[1..], Parse(rest.ToString()));
    }

    [Theory]
    [InlineData("silence")]
    [InlineData("noise")]
    public async Task AudioWithoutSpeechHasNoSegments(string kind)
    {
        var samples = new short[3 * SampleRate];
        if (kind == "noise")
        {
            // White noise peaking at -40 dBFS: sound, but nobody speaking.
            var random = new Random(7);
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)random.Next(-328, 329);
            }
        }

        var pcm = MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();

        Assert.Equal("", await vad.DetectAsync(pcm));
        var streamed = await vad.StreamAsync(pcm, 1000);
        Assert.Equal(DataStatus.End, Assert.Single(streamed).Status);
        Assert.True(streamed[0].Data.IsEmpty);
    }

    [Fact]
    public async Task ParametersShapeTheSegments()
    {
        var unpadded = Parse(await vad.DetectAsync(vad.Speech, ("speech_pad_ms", 0L)));
        var padded = Parse(await vad.DetectAsync(vad.Speech, ("speech_pad_ms", 200L)));

        // The silences around the sentences are longer than two pads, so each side grows by the whole pad.
        Assert.Equal(2, unpadded.Count);
        Assert.Equal(unpadded.Select(s => (s.StartMs - 200, s.EndMs + 200)), padded.Select(s => (s.StartMs, s.EndMs)));
        Assert.Equal("", await vad.DetectAsync(vad.Speech, ("min_speech_ms", 5000L))); // both sentences are shorter
        var strict = Parse(await vad.DetectAsync(vad.Speech, ("speech_pad_ms", 0L), ("threshold", 0.9)));
        Assert.True(strict.Sum(s => s.EndMs - s.StartMs) < unpadded.Sum(s => s.EndMs - s.StartMs), "a higher threshold did not find less speech");
    }

    [Theory]
    [InlineData("odd", VadErrors.PartialSample)]
    [InlineData("empty", VadErrors.EmptyAudio)]
    [InlineData("8 kHz", VadErrors.UnsupportedSampleRate)]
    public async Task BadInputIsRefusedWithACodeOfTheManifest(string bad, int code)
    {
        var request = bad switch
        {
            "odd" => vad.Request([.. vad.Speech, 0]),
            "empty" => vad.Request([]),
            _ => vad.Request(vad.Speech, ("sample_rate", 8000L)),
        };

        var e = await Assert.ThrowsAsync<PluginException>(() => vad.Plugin.ExecuteAsync(request, CancellationToken.None).AsTask());

        Assert.Equal(code, e.Code);
        var declared = Assert.Single(vad.Manifest.Errors, d => d.Code == code);
        Assert.Equal(declared.Name, vad.Plugin.ErrorText(code));
        Assert.False(string.IsNullOrWhiteSpace(declared.Description));
        Assert.False(string.IsNullOrWhiteSpace(declared.Strategy));
    }

    [Theory]
    [InlineData("odd", VadErrors.PartialSample)]
    [InlineData("empty", VadErrors.EmptyAudio)]
    [InlineData("after the end", VadErrors.InvalidStream)]
    [InlineData("not audio", VadErrors.InvalidStream)]
    public async Task StreamsRefuseBadInputAndTellTheReader(string bad, int code)
    {
        await using var session = vad.Plugin.CreateSession(new Dictionary<string, object?>(), []);
        var reading = SileroVadFixture.ReadAllAsync(session);
        var chunks = bad switch
        {
            "odd" => SileroVadFixture.Chunks(vad.Speech[..1001], 100).ToList(),
            "empty" => [new PluginData("audio", "pcm_s16le", DataStatus.End, ReadOnlyMemory<byte>.Empty)],
            "after the end" => [.. SileroVadFixture.Chunks(vad.Speech[..1000], 100), new PluginData("audio", "pcm_s16le", DataStatus.Continue, new byte[2])],
            _ => [new PluginData("text", "utf8", DataStatus.Begin, "hello"u8.ToArray())],
        };

        var e = await Assert.ThrowsAsync<PluginException>(async () =>
        {
            foreach (var chunk in chunks)
            {
                await session.WriteAsync(chunk, CancellationToken.None);
            }
        });

        Assert.Equal(code, e.Code);
        Assert.Contains(vad.Manifest.Errors, d => d.Code == code);
        if (bad == "after the end")
        {
            Assert.Equal(DataStatus.End, (await reading)[^1].Status); // the stream itself had ended well
        }
        else
        {
            Assert.Equal(code, (await Assert.ThrowsAsync<PluginException>(() => reading)).Code);
        }
    }

    [Fact]
    public void SessionParametersAreCheckedByThePluginToo()
    {
        var e = Assert.Throws<PluginException>(() => vad.Plugin.CreateSession(new Dictionary<string, object?> { ["threshold"] = 1.5 }, []));

        Assert.Equal(VadErrors.InvalidParameter, e.Code);
        Assert.Contains("threshold", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsSideBySideKeepTheirOwnState()
    {
        // Two different audios, so that a shared state would change both answers.
        var first = vad.Speech;
        var second = vad.Speech[(vad.Speech.Length / 2 & ~1)..];
        var expected = (await vad.DetectAsync(first), await vad.DetectAsync(second));
        Assert.NotEqual(expected.Item1, expected.Item2);
        await using var a = vad.Plugin.CreateSession(new Dictionary<string, object?>(), []);
        await using var b = vad.Plugin.CreateSession(new Dictionary<string, object?>(), []);
        var readA = SileroVadFixture.ReadAllAsync(a);
        var readB = SileroVadFixture.ReadAllAsync(b);
        using var chunksA = SileroVadFixture.Chunks(first, 1024).GetEnumerator();
        using var chunksB = SileroVadFixture.Chunks(second, 1024).GetEnumerator();

        bool moreA = true, moreB = true;
        while (moreA || moreB)
        {
            if (moreA && (moreA = chunksA.MoveNext()))
            {
                await a.WriteAsync(chunksA.Current, CancellationToken.None);
            }

            if (moreB && (moreB = chunksB.MoveNext()))
            {
                await b.WriteAsync(chunksB.Current, CancellationToken.None);
            }
        }

        Assert.Equal(expected.Item1, Text(await readA));
        Assert.Equal(expected.Item2, Text(await readB));
    }

    [Fact]
    public async Task ConcurrentCallsAgree()
    {
        var expected = await vad.DetectAsync(vad.Speech);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
            i % 2 == 0 ? await vad.DetectAsync(vad.Speech) : Text(await vad.StreamAsync(vad.Speech, 512 * (i + 1))))));

        Assert.All(answers, answer => Assert.Equal(expected, answer));
    }

    [Fact]
    public void TheManifestDeclaresThePluginsDefaultsAndErrors()
    {
        var defaults = vad.Manifest.Parameters.ToDictionary(p => p.Name, p => p.Default);
        Assert.Equal(VadSettings.Default.Threshold, defaults["threshold"]);
        Assert.Equal(VadSettings.Default.MinSilenceMs, defaults["min_silence_ms"]);
        Assert.Equal(VadSettings.Default.MinSpeechMs, defaults["min_speech_ms"]);
        Assert.Equal(VadSettings.Default.SpeechPadMs, defaults["speech_pad_ms"]);
        Assert.Equal((long)VadSettings.SampleRate, defaults["sample_rate"]);

        int[] codes = [VadErrors.EmptyAudio, VadErrors.PartialSample, VadErrors.UnsupportedSampleRate, VadErrors.InvalidParameter, VadErrors.InvalidStream];
        Assert.Equal(codes, vad.Manifest.Errors.Select(e => e.Code));
        Assert.Equal(codes.Select(vad.Plugin.ErrorText), vad.Manifest.Errors.Select(e => e.Name));
        Assert.Equal(Packaging.Manifest.InterfaceType.Streaming, vad.Manifest.Service.Interface);
    }

    [Fact]
    public async Task TheManifestsTestCasesHold()
    {
        Assert.NotEmpty(vad.Manifest.Tests);
        foreach (var test in vad.Manifest.Tests)
        {
            var audio = File.ReadAllBytes(Path.Combine(SileroVadFixture.PackageDirectory, test.Request["audio"].File!));
            var text = await vad.DetectAsync(audio, test.Parameters.Select(p => (p.Key, p.Value)).ToArray());

            foreach (var (segment, expectation) in test.Expect)
            {
                Assert.Equal("segments", segment);
                Assert.Contains(expectation.Contains!, text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Where the sound is: between the runs of exact zeros (over 300 ms) the test audio was built with.</summary>
    internal static List<(double StartMs, double EndMs)> SpeechSpans(byte[] pcm)
    {
        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        var spans = new List<(double, double)>();
        var minGap = SampleRate * 3 / 10;
        var start = -1;
        var zeros = 0;
        for (var i = 0; i <= samples.Length; i++)
        {
            if (i < samples.Length && samples[i] == 0)
            {
                zeros++;
                continue;
            }

            if (zeros >= minGap || i == samples.Length)
            {
                var end = i - zeros; // where the sound before this run of zeros stopped
                if (start >= 0 && end > start)
                {
                    spans.Add((start * 1000.0 / SampleRate, end * 1000.0 / SampleRate));
                }

                start = i;
            }
            else if (start < 0)
            {
                start = i;
            }

            zeros = 0;
        }

        return spans;
    }

    internal static List<(long StartMs, long EndMs)> Parse(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(2, json.RootElement.EnumerateObject().Count());
            return (json.RootElement.GetProperty("start_ms").GetInt64(), json.RootElement.GetProperty("end_ms").GetInt64());
        }).ToList();

    private static string Text(IEnumerable<PluginData> results) => string.Concat(results.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
}
