using Inference.LoadGenerator.Requests;
using Inference.LoadGenerator.Running;

namespace Inference.LoadGenerator.Cli;

/// <summary>
/// Checks the command line as a whole and builds the load test from it: every problem is reported,
/// not just the first, each naming the option at fault.
/// </summary>
internal static class OptionsReader
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(1);

    public static LoadOptions? Read(CommandLineValues values, List<string> errors)
    {
        if (values.Url.Scheme == Uri.UriSchemeHttps && values.Client == ClientKind.Raw)
        {
            errors.Add("https needs --client http (the raw client speaks plain HTTP/1.1 only)");
        }

        if (values.HealthUrl is { } health && health.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"--health-url: '{health}' must be an http:// URL");
        }

        if (values.Sweep is not null && values.Concurrency is not null)
        {
            errors.Add("--concurrency and --sweep are alternatives: give one");
        }

        if (values.Concurrency is < 1 or > SweepParser.MaxConcurrency)
        {
            errors.Add($"--concurrency must be from 1 to {SweepParser.MaxConcurrency}");
        }

        CheckPositive(values.Duration, "--duration", errors);
        CheckPositive(values.Timeout, "--timeout", errors);
        if (values.HealthInterval is { } interval && interval < MinInterval)
        {
            errors.Add("--health-interval must be at least 1ms");
        }

        if (values.HealthInterval is not null && values.HealthUrl is null)
        {
            errors.Add("--health-interval needs --health-url");
        }

        if (values.Settle is not null && values.Pid is null)
        {
            errors.Add("--settle needs --pid (it is how long to wait before reading the server's memory again)");
        }

        if (values.Pid is { } pid && ProcessMemory.ReadRssKib(pid) is null)
        {
            errors.Add($"--pid: cannot read the resident memory of process {pid} (/proc/{pid}/status): no such process, or not Linux");
        }

        var (body, bodyHeaders, description) = ReadBody(values, errors);
        var headers = new List<HeaderField>();
        foreach (var text in values.Headers)
        {
            if (HeaderField.Parse(text, out var error) is { } header)
            {
                headers.Add(header);
            }
            else
            {
                errors.Add($"-H: {error}");
            }
        }

        // Generated headers first, then the user's, unless the user gave the same header.
        var allHeaders = bodyHeaders.Where(h => !headers.Any(u => string.Equals(u.Name, h.Name, StringComparison.OrdinalIgnoreCase))).Concat(headers).ToList();
        var method = (values.Method ?? (body.Length > 0 ? "POST" : "GET")).ToUpperInvariant();
        if (method.Length == 0 || !method.All(char.IsAsciiLetter))
        {
            errors.Add($"--method: '{values.Method}' is not an HTTP method");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new LoadOptions
        {
            Target = new RequestTarget(values.Url, method, allHeaders, body),
            ConcurrencyLevels = values.Sweep ?? [values.Concurrency ?? 1],
            IsSweep = values.Sweep is not null,
            Duration = values.Duration ?? TimeSpan.FromSeconds(10),
            WarmUp = values.WarmUp ?? TimeSpan.FromSeconds(2),
            Timeout = values.Timeout ?? TimeSpan.FromSeconds(10),
            Client = values.Client,
            HealthUrl = values.HealthUrl,
            HealthInterval = values.HealthInterval ?? TimeSpan.FromMilliseconds(10),
            Pid = values.Pid,
            Settle = values.Settle ?? TimeSpan.Zero,
            JsonPath = values.JsonPath,
            BodyDescription = description,
        };
    }

    private static (byte[] Body, IReadOnlyList<HeaderField> Headers, string Description) ReadBody(CommandLineValues values, List<string> errors)
    {
        if (values.BodyFile is not null && values.Inputs.Count > 0)
        {
            errors.Add("--body and --input are alternatives: send a file, or generate an infer request");
            return ([], [], "none");
        }

        if ((values.Binary || values.BinaryOutput) && values.Inputs.Count == 0)
        {
            errors.Add("--binary and --binary-output shape a generated infer request: they need --input");
        }

        if (values.BodyFile is { } file)
        {
            try
            {
                var contentType = values.ContentType ?? (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : "application/octet-stream");
                return (File.ReadAllBytes(file), [new HeaderField("Content-Type", contentType)], Path.GetFileName(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"--body: cannot read '{file}': {e.Message}");
                return ([], [], "none");
            }
        }

        if (values.Inputs.Count == 0)
        {
            return ([], values.ContentType is { } type ? [new HeaderField("Content-Type", type)] : [], "none");
        }

        var specs = new List<TensorSpec>();
        foreach (var text in values.Inputs)
        {
            if (TensorSpec.Parse(text, out var error) is { } spec)
            {
                specs.Add(spec);
            }
            else
            {
                errors.Add($"--input: {error}");
            }
        }

        if (specs.Count != values.Inputs.Count)
        {
            return ([], [], "none");
        }

        var generated = OipRequestBody.Create(specs, values.Binary, values.BinaryOutput, values.Seed);
        var headers = values.ContentType is { } contentTypeOverride
            ? generated.Headers.Select(h => h.Name == "Content-Type" ? h with { Value = contentTypeOverride } : h).ToList()
            : generated.Headers;
        var description = $"OIP {(values.Binary ? "binary" : "JSON")} {string.Join(" ", values.Inputs)}{(values.BinaryOutput ? ", binary output" : "")}";
        return (generated.Bytes, headers, description);
    }

    private static void CheckPositive(TimeSpan? value, string option, List<string> errors)
    {
        if (value is { } span && span <= TimeSpan.Zero)
        {
            errors.Add($"{option} must be more than 0");
        }
    }
}
