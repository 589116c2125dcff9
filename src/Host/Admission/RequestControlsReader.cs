using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Inference.Host.Admission;

/// <summary>
/// Reads <c>priority</c> and <c>timeout</c> from a request: a protocol's own parameters first (the OIP
/// request's <c>parameters</c>, the engine request's <c>header</c>), else the <c>Inference-Priority</c>
/// and <c>Inference-Timeout</c> HTTP headers. A value that is not an integer in range is an error naming it.
/// </summary>
public static class RequestControlsReader
{
    public static RequestControls Read(IHeaderDictionary headers, object? bodyPriority, object? bodyTimeout, out string? problem)
    {
        problem = null;
        var priority = RequestControls.MinPriority;
        long? timeout = null;
        if (Value(bodyPriority, headers, RequestControls.PriorityHeader, "priority", ref problem) is { } p)
        {
            if (p is < RequestControls.MinPriority or > RequestControls.MaxPriority)
            {
                problem ??= $"priority must be an integer from {RequestControls.MinPriority} to {RequestControls.MaxPriority} (higher is served first), got {p}";
            }
            else
            {
                priority = (int)p;
            }
        }

        if (Value(bodyTimeout, headers, RequestControls.TimeoutHeader, "timeout", ref problem) is { } t)
        {
            if (t < 0)
            {
                problem ??= $"timeout must be a non-negative number of microseconds (0: no deadline), got {t}";
            }
            else
            {
                timeout = t;
            }
        }

        return new RequestControls(priority, timeout);
    }

    private static long? Value(object? fromBody, IHeaderDictionary headers, string header, string name, ref string? problem)
    {
        if (fromBody is not null)
        {
            switch (fromBody)
            {
                case long l:
                    return l;
                case int i:
                    return i;
                case double d when d == Math.Floor(d) && Math.Abs(d) < 1e15:
                    return (long)d;
                default:
                    problem ??= $"'{name}' must be an integer, got {Describe(fromBody)}";
                    return null;
            }
        }

        if (!headers.TryGetValue(header, out var values))
        {
            return null;
        }

        if (values.Count == 1 && long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        problem ??= $"the {header} header must be one integer, got '{values}'";
        return null;
    }

    private static string Describe(object value) => value switch
    {
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
