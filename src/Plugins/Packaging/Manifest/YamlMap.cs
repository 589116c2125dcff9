using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Inference.Packaging.Manifest;

/// <summary>
/// Reads one mapping of the manifest: typed values by key, each problem recorded at its path; keys not
/// in the known set are reported too (a typo such as <c>maxConcurency</c> would otherwise pass silently).
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode? node;
    private readonly ProblemSink sink;

    public YamlMap(YamlNode? node, string path, ProblemSink sink, params string[] knownKeys)
    {
        Path = path;
        this.sink = sink;
        if (node is YamlMappingNode mapping)
        {
            this.node = mapping;
            foreach (var key in mapping.Children.Keys)
            {
                if (key is YamlScalarNode { Value: { } name } && !knownKeys.Contains(name, StringComparer.Ordinal))
                {
                    sink.Add(Join(name), key, $"unknown key '{name}' (expected one of: {string.Join(", ", knownKeys)})");
                }
            }
        }
        else if (node is not null)
        {
            sink.Add(path, node, "must be a mapping (key: value pairs)");
        }
    }

    public string Path { get; }

    public bool Exists => node is not null;

    public YamlNode? Node => node;

    public string Join(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public YamlNode? Get(string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? String(string key, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                sink.Add(Join(key), node, "is required");
            }

            return null;
        }

        if (value is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        sink.Add(Join(key), value, "must be a single value");
        return null;
    }

    public long? Integer(string key, bool required = false)
    {
        var text = String(key, required);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        sink.Add(Join(key), Get(key), $"must be an integer, got '{text}'");
        return null;
    }

    public bool? Boolean(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        sink.Add(Join(key), Get(key), $"must be true or false, got '{text}'");
        return null;
    }

    /// <summary>The items of a sequence with their paths; a missing key is an empty list.</summary>
    public IEnumerable<(YamlNode Item, string Path)> Sequence(string key, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                sink.Add(Join(key), node, "is required");
            }

            return [];
        }

        if (value is not YamlSequenceNode sequence)
        {
            sink.Add(Join(key), value, "must be a list");
            return [];
        }

        return sequence.Children.Select((item, i) => (item, $"{Join(key)}[{i}]"));
    }

    /// <summary>A mapping of names to single values (env, settings, test parameters).</summary>
    public Dictionary<string, string?> Scalars(string key)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var value = Get(key);
        if (value is null)
        {
            return result;
        }

        if (value is not YamlMappingNode mapping)
        {
            sink.Add(Join(key), value, "must be a mapping (name: value pairs)");
            return result;
        }

        foreach (var (k, v) in mapping.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode scalar)
            {
                result[name] = scalar.Value;
            }
            else
            {
                sink.Add($"{Join(key)}.{name}", v, "must be a single value");
            }
        }

        return result;
    }

    /// <summary>The named sub-mappings of a mapping (test request and expect entries).</summary>
    public IEnumerable<(string Name, YamlNode Value, string Path)> Entries(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            return [];
        }

        if (value is not YamlMappingNode mapping)
        {
            sink.Add(Join(key), value, "must be a mapping");
            return [];
        }

        return mapping.Children.Select(p => ((p.Key as YamlScalarNode)?.Value ?? "", p.Value, $"{Join(key)}.{(p.Key as YamlScalarNode)?.Value}"));
    }
}
