namespace Inference.LoadGenerator.Running;

/// <summary>Runs a load test's concurrency levels one after the other, each with fresh connections.</summary>
internal static class LoadTest
{
    public static async Task<IReadOnlyList<LevelResult>> RunAsync(LoadOptions options, Action<LevelResult>? levelDone, CancellationToken cancellationToken)
    {
        var factory = await SenderFactory.CreateAsync(options.Target, options.Client, options.Timeout, cancellationToken);
        var results = new List<LevelResult>();
        foreach (var level in options.ConcurrencyLevels)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var result = await LevelRunner.RunAsync(options, level, factory, cancellationToken);
            results.Add(result);
            levelDone?.Invoke(result);
        }

        return results;
    }
}
