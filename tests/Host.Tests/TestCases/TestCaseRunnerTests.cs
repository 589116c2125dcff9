using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Tests.Execution;
using Inference.Host.Tests.Infrastructure;
using Inference.Host.TestCases;
using Inference.Onnx.Authoring;
using Inference.Packaging.Manifest;

namespace Inference.Host.Tests.TestCases;

/// <summary>Manifest test cases run against a real engine (the gain model, ONNX-only): each way a check passes or fails.</summary>
public sealed class TestCaseRunnerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo package = Directory.CreateTempSubdirectory("testcase-runner-");

    public TestCaseRunnerTests()
    {
        Directory.CreateDirectory(Path.Combine(package.FullName, "model"));
        Directory.CreateDirectory(Path.Combine(package.FullName, "tests"));
        File.WriteAllBytes(Path.Combine(package.FullName, "model", "model.onnx"), SampleModels.Gain());
        File.WriteAllBytes(Path.Combine(package.FullName, "tests", "in.raw"), Floats(0.5f, -1f, 3f));
        File.WriteAllText(Path.Combine(package.FullName, "tests", "doubled.json"), """{"shape":[1,3],"data":[1,-2,6]}""");
    }

    public void Dispose() => package.Delete(recursive: true);

    [Fact]
    public async Task PassingChecksOfEachKindPass()
    {
        var outcomes = await RunAsync("""
              - name: contains
                parameters: { gain: 2, channel: left }
                request: { audio: { file: tests/in.raw } }
                expect: { scaled: { contains: "-2" } }
              - name: equals-default-gain
                parameters: { channel: right }
                request: { audio: { file: tests/in.raw } }
                expect: { scaled: { equals: '{"shape":[1,3],"data":[0.5,-1,3]}' } }
              - name: equals-file
                parameters: { gain: 2, channel: left }
                request: { audio: { file: tests/in.raw } }
                expect: { scaled: { equalsFile: tests/doubled.json } }
            """);

        Assert.Equal(["contains", "equals-default-gain", "equals-file"], outcomes.Select(o => o.Name));
        Assert.All(outcomes, o => Assert.True(o.Passed, string.Join("; ", o.Failures)));
        Assert.All(outcomes, o => Assert.Empty(o.Failures));
    }

    [Fact]
    public async Task AWrongExpectationFailsShowingExpectedAndActual()
    {
        var outcome = Assert.Single(await RunAsync("""
              - name: wrong
                parameters: { gain: 3, channel: left }
                request: { audio: { file: tests/in.raw } }
                expect: { scaled: { equals: "[1,-2,6]" } }
            """));

        Assert.False(outcome.Passed);
        var failure = Assert.Single(outcome.Failures);
        Assert.Contains("'scaled'", failure, StringComparison.Ordinal);
        Assert.Contains("\"[1,-2,6]\"", failure, StringComparison.Ordinal);
        Assert.Contains("[1.5,-3,9]", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingContainedTextAndADifferentFileEachFail()
    {
        var outcome = Assert.Single(await RunAsync("""
              - name: both-wrong
                parameters: { gain: 1, channel: left }
                request: { audio: { file: tests/in.raw } }
                expect: { scaled: { contains: "42", equalsFile: tests/doubled.json } }
            """));

        Assert.False(outcome.Passed);
        Assert.Equal(2, outcome.Failures.Count);
        Assert.Contains(outcome.Failures, f => f.Contains("contain \"42\"", StringComparison.Ordinal));
        Assert.Contains(outcome.Failures, f => f.Contains("differs from tests/doubled.json at byte 23", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMissingDataFileIsReportedNotThrown()
    {
        var outcome = Assert.Single(await RunAsync("""
              - name: no-file
                parameters: { channel: left }
                request: { audio: { file: tests/absent.raw } }
                expect: { scaled: { contains: "[" } }
            """));

        Assert.False(outcome.Passed);
        Assert.Equal("the file 'tests/absent.raw' is not in the package", Assert.Single(outcome.Failures));
    }

    [Fact]
    public async Task ATestWithoutARequiredParameterFailsNamingIt()
    {
        var outcome = Assert.Single(await RunAsync("""
              - name: no-channel
                parameters: { gain: 2 }
                request: { audio: { file: tests/in.raw } }
                expect: { scaled: { contains: "[" } }
            """));

        Assert.False(outcome.Passed);
        Assert.Contains("required parameter 'channel'", Assert.Single(outcome.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InlineTextDataThatTheEngineRejectsFailsWithTheEnginesReason()
    {
        // Five bytes are not a whole number of FP32 samples: the engine refuses the input.
        var outcome = Assert.Single(await RunAsync("""
              - name: ragged
                parameters: { channel: left }
                request: { audio: { text: "abcde" } }
                expect: { scaled: { contains: "[" } }
            """));

        Assert.False(outcome.Passed);
        Assert.Contains("could not run it", Assert.Single(outcome.Failures), StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<TestCaseOutcome>> RunAsync(string tests)
    {
        var read = ManifestReader.Read(TestPackages.GainManifest + "\ntests:\n" + tests.TrimEnd());
        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        var factory = new EngineFactory(OrtTestEnvironment.Instance, new OnnxRuntimeOptions());
        await using var engine = await factory.CreateAsync(read.Manifest!, package.FullName, CancellationToken.None);
        return await TestCaseRunner.RunAllAsync(engine, package.FullName, Timeout, CancellationToken.None);
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
