using System.Globalization;

namespace Inference.LoadGenerator.Cli;

/// <summary>Durations as the options take them: <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, or a bare number of seconds.</summary>
internal static class DurationParser
{
    public static TimeSpan? Parse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        var (number, scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 1e-3),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60.0),
            _ when trimmed.EndsWith('h') || trimmed.EndsWith('H') => (trimmed[..^1], 3600.0),
            _ => (trimmed, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value * scale > 86400 * 7)
        {
            error = $"'{text}' is not a duration (e.g. 500ms, 10s, 2m, or seconds as a number)";
            return null;
        }

        return TimeSpan.FromSeconds(value * scale);
    }
}
