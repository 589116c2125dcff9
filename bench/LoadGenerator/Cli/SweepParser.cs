namespace Inference.LoadGenerator.Cli;

/// <summary>The concurrency levels of <c>--sweep 1,2,4,8</c>: whole numbers from 1, run in the order given.</summary>
internal static class SweepParser
{
    public const int MaxConcurrency = 4096;

    public static IReadOnlyList<int>? Parse(string text, out string? error)
    {
        error = null;
        var levels = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out var level) || level < 1 || level > MaxConcurrency)
            {
                error = $"--sweep: '{part}' is not a concurrency level (a whole number from 1 to {MaxConcurrency}); give a list like 1,2,4,8";
                return null;
            }

            levels.Add(level);
        }

        return levels;
    }
}
