using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Inference.Plugins.Sdk;
using Inference.Samples.Digits;
using Xunit.Abstractions;

namespace Inference.Host.Tests.Samples.Digits;

/// <summary>
/// The digits plugin loaded as the host loads it, with its real model: the manifest's own test cases, its
/// accuracy on the held-out split against what training measured, the answer's shape and parameters,
/// its refusals, and concurrent use of the one shared model.
/// </summary>
public sealed class DigitsPluginTests(DigitsPluginFixture fixture, ITestOutputHelper output) : IClassFixture<DigitsPluginFixture>
{
    [Fact]
    public async Task TheManifestsTestCasesPass()
    {
        Assert.True(fixture.Manifest.Tests.Count >= 2);
        foreach (var test in fixture.Manifest.Tests)
        {
            var parameters = fixture.Manifest.Parameters.Where(p => p.Default is not null).ToDictionary(p => p.Name, p => p.Default);
            foreach (var (name, value) in test.Parameters)
            {
                parameters[name] = value;
            }

            var data = test.Request.ToDictionary(
                r => r.Key,
                r => new PluginData(r.Key, fixture.Manifest.Request.Single(s => s.Name == r.Key).Encodings[0], DataStatus.Once, File.ReadAllBytes(Path.Combine(DigitsPaths.Package, r.Value.File!))));
            var result = await fixture.Plugin.ExecuteAsync(new PluginRequest(test.Name, parameters, data, new Dictionary<string, string?>(), []), CancellationToken.None);

            foreach (var (segment, expectation) in test.Expect)
            {
                var text = Encoding.UTF8.GetString(result.Data.Single(d => d.Name == segment).Data.Span);
                Assert.True(text.Contains(expectation.Contains!, StringComparison.Ordinal), $"{test.Name}: {text} does not contain {expectation.Contains}");
            }
        }
    }

    [Fact]
    public async Task HeldOutAccuracyMatchesWhatTrainingMeasured()
    {
        int correct = 0, agree = 0;
        var images = HeldOutSet.All;
        for (var i = 0; i < images.Count; i++)
        {
            // Each image in one of four forms: the decoded grey must not depend on how it travelled.
            var (data, encoding) = Encode(images[i].Values, i % 4);
            var digit = (await Classify(data, encoding)).GetProperty("digit").GetInt32();
            correct += digit == images[i].Label ? 1 : 0;
            agree += digit == images[i].Predicted ? 1 : 0;
        }

        var accuracy = correct / (double)images.Count;
        output.WriteLine($"plugin accuracy {accuracy:P2} on {images.Count} held-out images; training measured {HeldOutSet.PythonAccuracy:P2}; agreement with training's predictions {agree}/{images.Count}");
        Assert.True(images.Count >= 100);
        Assert.True(accuracy >= HeldOutSet.PythonAccuracy - 0.005, $"plugin accuracy {accuracy:P2}, training measured {HeldOutSet.PythonAccuracy:P2}");
        Assert.True(agree >= images.Count - 2, $"the plugin agrees with training's predictions on {agree} of {images.Count}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task TopKListsTheMostProbableDigitsFirst(int topK)
    {
        var image = HeldOutSet.All.First(i => i.Label == i.Predicted && i.Label == 4);

        var result = await Classify(TestImages.Png(64, 64, 0, TestImages.Render(image.Values)), "png", new() { ["top_k"] = (long)topK });

        var top = result.GetProperty("top").EnumerateArray().Select(e => (Digit: e.GetProperty("digit").GetInt32(), P: e.GetProperty("probability").GetDouble())).ToList();
        Assert.Equal(topK, top.Count);
        Assert.Equal(4, result.GetProperty("digit").GetInt32());
        Assert.Equal((4, result.GetProperty("confidence").GetDouble()), top[0]);
        Assert.Equal(top.OrderByDescending(t => t.P).Select(t => t.Digit), top.Select(t => t.Digit));
        Assert.Equal(topK, top.Select(t => t.Digit).Distinct().Count());
        Assert.All(top, t => Assert.InRange(t.P, 0, 1));
        if (topK == 10)
        {
            Assert.Equal(1.0, top.Sum(t => t.P), 4);
        }
    }

    [Fact]
    public async Task TopKDefaultsToTheManifestsThree()
    {
        var result = await Classify(File.ReadAllBytes(Path.Combine(DigitsPaths.Package, "tests", "seven.png")), "png");

        Assert.Equal(3, result.GetProperty("top").GetArrayLength());
    }

    [Fact]
    public async Task MinConfidenceRefusesLessCertainAnswers()
    {
        // The least certain held-out answer: its confidence is well below 1, so there is room above it.
        var candidates = await Task.WhenAll(HeldOutSet.All.Take(60).Select(async i =>
        {
            var png = TestImages.Png(64, 64, 0, TestImages.Render(i.Values));
            return (Png: png, Confidence: (await Classify(png, "png")).GetProperty("confidence").GetDouble());
        }));
        var (image, confidence) = candidates.MinBy(c => c.Confidence);
        Assert.True(confidence < 0.99, $"lowest confidence {confidence}");

        var below = await Classify(image, "png", new() { ["min_confidence"] = confidence - 0.001 });
        var e = await Assert.ThrowsAsync<PluginException>(() => Classify(image, "png", new() { ["min_confidence"] = confidence + 0.001 }));

        Assert.Equal(confidence, below.GetProperty("confidence").GetDouble());
        Assert.Equal(DigitsErrors.LowConfidence, e.Code);
        Assert.Contains("below min_confidence", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gif", "png", DigitsErrors.NotAnImage)]
    [InlineData("png", "pgm", DigitsErrors.NotAnImage)]
    [InlineData("pgm", "png", DigitsErrors.NotAnImage)]
    [InlineData("cut", "png", DigitsErrors.Truncated)]
    [InlineData("blank", "png", DigitsErrors.Blank)]
    [InlineData("blank", "pgm", DigitsErrors.Blank)]
    public async Task BadImagesAreRefusedWithTheirCode(string kind, string encoding, int code)
    {
        var seven = File.ReadAllBytes(Path.Combine(DigitsPaths.Package, "tests", "seven.png"));
        var data = kind switch
        {
            "gif" => "GIF89a"u8.ToArray(),
            "png" => seven,
            "pgm" => TestImages.Pgm(64, 64, TestImages.Render(HeldOutSet.All[0].Values)),
            "cut" => seven[..(seven.Length / 2)],
            "blank" when encoding == "png" => TestImages.Png(16, 16, 0, new byte[256]),
            _ => TestImages.Pgm(16, 16, Enumerable.Repeat((byte)255, 256).ToArray()),
        };

        var e = await Assert.ThrowsAsync<PluginException>(() => Classify(data, encoding));

        Assert.Equal(code, e.Code);
        Assert.Equal(DigitsErrors.Name(code), fixture.Plugin.ErrorText(code));
    }

    [Fact]
    public void EveryErrorCodeIsInTheManifestUnderItsName()
    {
        var codes = typeof(DigitsErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).ToList();

        Assert.True(codes.Count >= 11);
        Assert.Equal(codes.Order(), fixture.Manifest.Errors.Select(e => e.Code).Order());
        foreach (var error in fixture.Manifest.Errors)
        {
            Assert.Equal(error.Name, fixture.Plugin.ErrorText(error.Code));
            Assert.False(string.IsNullOrWhiteSpace(error.Description));
            Assert.False(string.IsNullOrWhiteSpace(error.Strategy));
        }
    }

    [Fact]
    public async Task ConcurrentCallsShareTheModelAndAgreeWithSequentialOnes()
    {
        var images = HeldOutSet.All.Take(40).Select(i => TestImages.Png(64, 64, 0, TestImages.Render(i.Values))).ToList();
        var sequential = new List<string>();
        foreach (var image in images)
        {
            sequential.Add((await Classify(image, "png")).GetRawText());
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var answers = new string[images.Count];
            for (var k = 0; k < images.Count; k++)
            {
                var i = (k + (worker * 5)) % images.Count;
                answers[i] = (await Classify(images[i], "png")).GetRawText();
            }

            return answers;
        })));

        Assert.All(concurrent, answers => Assert.Equal(sequential, answers));
    }

    [Fact]
    public async Task LatencyOfOneSmallPng()
    {
        var seven = File.ReadAllBytes(Path.Combine(DigitsPaths.Package, "tests", "seven.png"));
        var first = (await Classify(seven, "png")).GetRawText();
        var times = new double[1000];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            var answer = await Classify(seven, "png");
            times[i] = watch.Elapsed.TotalMicroseconds;
            Assert.Equal(first, answer.GetRawText());
        }

        Array.Sort(times);
        output.WriteLine($"digits plugin, one 64x64 PNG ({seven.Length} bytes), decode + pre-process + model + JSON: median {times[500]:F1} us, p90 {times[900]:F1} us, p99 {times[990]:F1} us");
    }

    private async Task<JsonElement> Classify(byte[] data, string encoding, Dictionary<string, object?>? parameters = null)
    {
        var request = new PluginRequest("t", parameters ?? [], new Dictionary<string, PluginData> { ["image"] = new("image", encoding, DataStatus.Once, data) }, new Dictionary<string, string?>(), []);
        var result = await fixture.Plugin.ExecuteAsync(request, CancellationToken.None);
        var segment = Assert.Single(result.Data);
        Assert.Equal(("result", "json"), (segment.Name, segment.Encoding));
        return JsonDocument.Parse(segment.Data).RootElement.Clone();
    }

    /// <summary>A held-out digit as a light-on-dark PNG, a dark-on-light PNG, a grey RGBA PNG or a PGM.</summary>
    private static (byte[] Data, string Encoding) Encode(byte[] values, int form)
    {
        var grey = TestImages.Render(values, inverted: form is 1 or 3);
        return form switch
        {
            0 or 1 => (TestImages.Png(64, 64, 0, grey), "png"),
            2 => (TestImages.Png(64, 64, 6, grey.SelectMany(g => new[] { g, g, g, (byte)255 }).ToArray()), "png"),
            _ => (TestImages.Pgm(64, 64, grey), "pgm"),
        };
    }
}
