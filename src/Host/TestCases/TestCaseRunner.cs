using System.Diagnostics;
using System.Text;
using Inference.Host.Engines;
using Inference.Host.Protocol.Engine;
using Inference.Packaging.Manifest;

namespace Inference.Host.TestCases;

/// <summary>
/// Runs a manifest's test cases against a loaded engine, in process, and checks each response segment
/// against the expectation (equal text, equal to a file's bytes, or containing text). The CLI's
/// <c>validate</c> prints the outcomes; the package loader runs them as warm-up before a version is ready.
/// </summary>
public static class TestCaseRunner
{
    public static async Task<IReadOnlyList<TestCaseOutcome>> RunAllAsync(IEngine engine, string packageDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var outcomes = new List<TestCaseOutcome>(engine.Manifest.Tests.Count);
        foreach (var test in engine.Manifest.Tests)
        {
            outcomes.Add(await RunAsync(engine, packageDirectory, test, timeout, cancellationToken));
        }

        return outcomes;
    }

    public static async Task<TestCaseOutcome> RunAsync(IEngine engine, string packageDirectory, TestCase test, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var request = TestCaseRequest.Build(engine.Manifest, packageDirectory, test, out var error);
        if (request is null)
        {
            return new TestCaseOutcome(test.Name, false, TimeSpan.Zero, [error!]);
        }

        IReadOnlyList<EngineDataSegment> response;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            response = await engine.ExecuteAsync(request, deadline.Token);
        }
        catch (EnginePluginException e)
        {
            return Failed(test, started, $"the plugin failed with code {e.Code}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(test, started, $"no response within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is EngineInputException or InvalidOperationException or ArgumentException or NotSupportedException or Onnx.Binding.OrtException)
        {
            return Failed(test, started, $"the engine could not run it: {e.Message}");
        }

        var failures = Check(packageDirectory, test, response);
        return new TestCaseOutcome(test.Name, failures.Count == 0, Stopwatch.GetElapsedTime(started), failures);
    }

    private static TestCaseOutcome Failed(TestCase test, long started, string failure) =>
        new(test.Name, false, Stopwatch.GetElapsedTime(started), [failure]);

    private static List<string> Check(string packageDirectory, TestCase test, IReadOnlyList<EngineDataSegment> response)
    {
        var failures = new List<string>();
        foreach (var (name, expectation) in test.Expect)
        {
            // A streaming plugin may answer in several chunks of one segment; they are checked joined.
            var chunks = response.Where(r => r.Name == name).ToList();
            if (chunks.Count == 0)
            {
                failures.Add($"'{name}': missing from the response (it has: {(response.Count == 0 ? "nothing" : string.Join(", ", response.Select(r => r.Name).Distinct()))})");
                continue;
            }

            var actual = chunks.Count == 1 ? chunks[0].Data.ToArray() : chunks.SelectMany(c => c.Data.ToArray()).ToArray();
            var text = Encoding.UTF8.GetString(actual);
            if (expectation.EqualsText is { } equals && text != equals)
            {
                failures.Add($"'{name}': expected {Quote(equals)}, got {Quote(text)}");
            }

            if (expectation.Contains is { } contains && !text.Contains(contains, StringComparison.Ordinal))
            {
                failures.Add($"'{name}': expected it to contain {Quote(contains)}, got {Quote(text)}");
            }

            if (expectation.EqualsFile is { } file)
            {
                var expected = TestCaseRequest.ReadPackageFile(packageDirectory, file, out var error);
                if (expected is null)
                {
                    failures.Add($"'{name}': {error}");
                }
                else if (!expected.AsSpan().SequenceEqual(actual))
                {
                    var at = expected.AsSpan().CommonPrefixLength(actual);
                    failures.Add($"'{name}': differs from {file} at byte {at} (expected {expected.Length} bytes, got {actual.Length})");
                }
            }
        }

        return failures;
    }

    private static string Quote(string text) => text.Length <= 200 ? $"\"{text}\"" : $"\"{text[..200]}…\" ({text.Length} chars)";
}
