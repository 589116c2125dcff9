using System.Globalization;

namespace Inference.Packaging.Manifest;

/// <summary>
/// Converts a raw value (a string from YAML, or a JSON string, number or boolean) to a parameter's
/// type and checks its constraint. Used for manifest defaults and test cases, and by the engine-level
/// API for request parameters, so a value is judged the same way everywhere.
/// </summary>
public static class ParameterValues
{
    /// <summary>Typed value, or an error that names the parameter and says what is allowed.</summary>
    public static bool TryConvert(ParameterDefinition parameter, object? raw, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (raw is null)
        {
            error = $"parameter '{parameter.Name}' has no value";
            return false;
        }

        switch (parameter.Type)
        {
            case ParameterType.Integer:
                if (!TryInteger(raw, out var l))
                {
                    error = $"parameter '{parameter.Name}' must be an integer, got {Describe(raw)}";
                    return false;
                }

                value = l;
                break;
            case ParameterType.Float:
                if (!TryFloat(raw, out var d))
                {
                    error = $"parameter '{parameter.Name}' must be a number, got {Describe(raw)}";
                    return false;
                }

                value = d;
                break;
            case ParameterType.Boolean:
                if (raw is bool b)
                {
                    value = b;
                }
                else if (raw is string s && bool.TryParse(s, out var parsed))
                {
                    value = parsed;
                }
                else
                {
                    error = $"parameter '{parameter.Name}' must be true or false, got {Describe(raw)}";
                    return false;
                }

                break;
            case ParameterType.String:
                if (raw is not string text)
                {
                    error = $"parameter '{parameter.Name}' must be a string, got {Describe(raw)}";
                    return false;
                }

                value = text;
                break;
            case ParameterType.Enum:
                var candidate = raw switch
                {
                    string e => e,
                    long or int or double or bool => Convert.ToString(raw, CultureInfo.InvariantCulture),
                    _ => null,
                };
                var allowed = parameter.Enum ?? [];
                if (candidate is null || !allowed.Any(v => v.Value == candidate))
                {
                    error = $"parameter '{parameter.Name}' must be one of {string.Join(", ", allowed.Select(v => v.Value))}, got {Describe(raw)}";
                    return false;
                }

                value = candidate;
                break;
            case ParameterType.Time:
                if (!TryTime(raw, out var time))
                {
                    error = $"parameter '{parameter.Name}' must be a time (ISO 8601 date-time such as 2026-01-31T08:00:00Z, or a time of day such as 08:30:00), got {Describe(raw)}";
                    return false;
                }

                value = time;
                break;
        }

        return CheckRange(parameter, value!, out error);
    }

    /// <summary>Converts a range bound (or any value) to the parameter's comparable type, or null.</summary>
    public static IComparable? ToComparable(ParameterType type, object? raw) => type switch
    {
        ParameterType.Integer when TryInteger(raw, out var l) => l,
        ParameterType.Float when TryFloat(raw, out var d) => d,
        ParameterType.Time when TryTime(raw, out var t) => (IComparable)t,
        _ => null,
    };

    private static bool CheckRange(ParameterDefinition parameter, object value, out string? error)
    {
        error = null;
        if (parameter.Range is not { } range || value is not IComparable comparable)
        {
            return true;
        }

        var min = ToComparable(parameter.Type, range.Min);
        var max = ToComparable(parameter.Type, range.Max);
        if ((min is not null && min.GetType() != comparable.GetType()) || (max is not null && max.GetType() != comparable.GetType()))
        {
            error = $"parameter '{parameter.Name}' is {Format(value)}, not the same kind of value as its range [{Format(range.Min) ?? "-inf"}, {Format(range.Max) ?? "+inf"}]";
            return false;
        }

        if ((min is not null && comparable.CompareTo(min) < 0) || (max is not null && comparable.CompareTo(max) > 0))
        {
            error = $"parameter '{parameter.Name}' is {Format(value)}, outside its range [{Format(range.Min) ?? "-inf"}, {Format(range.Max) ?? "+inf"}]";
            return false;
        }

        return true;
    }

    private static bool TryInteger(object? raw, out long value)
    {
        switch (raw)
        {
            case long l:
                value = l;
                return true;
            case int i:
                value = i;
                return true;
            case double d when d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue:
                value = (long)d;
                return true;
            case string s:
                return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    private static bool TryFloat(object? raw, out double value)
    {
        switch (raw)
        {
            case double d when double.IsFinite(d):
                value = d;
                return true;
            case long l:
                value = l;
                return true;
            case int i:
                value = i;
                return true;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed):
                value = parsed;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>A date-time (DateTimeOffset) or a time of day (TimeSpan), never both kinds mixed in one comparison.</summary>
    private static bool TryTime(object? raw, out IComparable value)
    {
        value = 0L;
        if (raw is not string s)
        {
            return false;
        }

        if (s.Contains('T') && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dateTime))
        {
            value = dateTime;
            return true;
        }

        if (TimeSpan.TryParseExact(s, ["hh\\:mm", "hh\\:mm\\:ss", "hh\\:mm\\:ss\\.FFFFFFF"], CultureInfo.InvariantCulture, out var timeOfDay) && timeOfDay < TimeSpan.FromDays(1))
        {
            value = timeOfDay;
            return true;
        }

        return false;
    }

    private static string Describe(object raw) => raw switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "?",
    };

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
