using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Inference.Host.Scheduling;

/// <summary>
/// Reads <c>Models:{name}:Batching</c> and <c>Models:{name}:Instances</c> (and the same sections under
/// <c>Engines:{service}</c> for plugin engines). Parsed by hand rather than bound, so that every problem
/// names its exact key (a typo'd key is an error too: a silently ignored batching setting is worse than
/// a model that does not load).
/// </summary>
public static class ModelSchedulingConfiguration
{
    public const int MaxBatchSizeLimit = 1 << 20;
    public const long MaxQueueDelayLimitMicroseconds = 60_000_000;
    public const int MaxInstances = 256;
    public const int MaxThreads = 1024;

    private static readonly string[] BatchingKeys = ["MaxBatchSize", "MaxQueueDelayMicroseconds", "PreferredBatchSizes"];
    private static readonly string[] InstanceKeys = ["Count", "Devices", "IntraOpThreads", "InterOpThreads", "IoBinding"];

    /// <summary>The model's settings; defaults where the sections are absent.</summary>
    /// <exception cref="SchedulingConfigurationException">a value is invalid or a key unknown.</exception>
    public static ModelSchedulingOptions Read(IConfiguration configuration, string modelName) =>
        Read(configuration.GetSection("Models").GetSection(modelName));

    /// <summary>The <c>Instances</c> and <c>Batching</c> sections under <paramref name="owner"/> (a model's or an engine's); problems name the key by its full path.</summary>
    /// <exception cref="SchedulingConfigurationException">a value is invalid or a key unknown.</exception>
    public static ModelSchedulingOptions Read(IConfigurationSection owner) =>
        new(ReadInstances(owner.GetSection("Instances"), owner.Path + ":Instances"), ReadBatching(owner.GetSection("Batching"), owner.Path + ":Batching"));

    /// <summary>Only <c>Instances:Count</c> (what can change live); the load-time default when unset.</summary>
    public static int ReadInstanceCount(IConfiguration configuration, string modelName, int fallback) =>
        ReadInstanceCount(configuration.GetSection("Models").GetSection(modelName), fallback);

    /// <summary>Only <c>Instances:Count</c> under <paramref name="owner"/>; <paramref name="fallback"/> when unset.</summary>
    public static int ReadInstanceCount(IConfigurationSection owner, int fallback) =>
        ReadInt(owner.GetSection("Instances"), owner.Path + ":Instances", "Count", 1, MaxInstances) ?? fallback;

    private static BatchingOptions ReadBatching(IConfigurationSection section, string path)
    {
        RejectUnknown(section, path, BatchingKeys);
        var max = ReadInt(section, path, "MaxBatchSize", 0, MaxBatchSizeLimit) ?? 0;
        var delay = ReadLong(section, path, "MaxQueueDelayMicroseconds", 0, MaxQueueDelayLimitMicroseconds) ?? 0;
        var listed = ReadList(section.GetSection("PreferredBatchSizes"), $"{path}:PreferredBatchSizes").ToArray();
        if (max == 0 && listed.Length > 0)
        {
            throw new SchedulingConfigurationException($"{path}:PreferredBatchSizes is set but batching is off ({path}:MaxBatchSize is 0 or unset)");
        }

        var preferred = listed.Select(p => ParseInt(p.Value, p.Path, 1, max, $" (at most {path}:MaxBatchSize)")).Distinct().Order().ToArray();
        return new BatchingOptions { MaxBatchSize = max, MaxQueueDelayMicroseconds = delay, PreferredBatchSizes = preferred };
    }

    private static InstanceOptions ReadInstances(IConfigurationSection section, string path)
    {
        RejectUnknown(section, path, InstanceKeys);
        var devices = ReadList(section.GetSection("Devices"), $"{path}:Devices")
            .Select(d => InstanceDevice.TryParse(d.Value, out var device)
                ? device
                : throw new SchedulingConfigurationException($"{d.Path} is '{d.Value}'; a device is 'cpu', 'cuda' or 'cuda:N' (N from 0 to {InstanceDevice.MaxCudaDeviceId})"))
            .ToArray();
        return new InstanceOptions
        {
            Count = ReadInt(section, path, "Count", 1, MaxInstances),
            Devices = devices,
            IntraOpThreads = ReadInt(section, path, "IntraOpThreads", 0, MaxThreads),
            InterOpThreads = ReadInt(section, path, "InterOpThreads", 0, MaxThreads),
            IoBinding = ReadIoBinding(section, path),
        };
    }

    private static IoBindingMode ReadIoBinding(IConfigurationSection section, string path)
    {
        if (section["IoBinding"] is not { } text)
        {
            return IoBindingMode.Auto;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "auto" => IoBindingMode.Auto,
            "on" => IoBindingMode.On,
            "off" => IoBindingMode.Off,
            _ => throw new SchedulingConfigurationException($"{path}:IoBinding is '{text}'; it must be auto, on or off"),
        };
    }

    private static void RejectUnknown(IConfigurationSection section, string path, string[] known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new SchedulingConfigurationException($"{path}:{child.Key} is not a setting (the settings are {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>An array's elements (<c>Key:0</c>, <c>Key:1</c>, ...) or one comma-separated value (handy in environment variables).</summary>
    private static IEnumerable<(string Path, string Value)> ReadList(IConfigurationSection section, string path)
    {
        if (section.Value is { } single)
        {
            return single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => (path, v));
        }

        return section.GetChildren().Select(c => ($"{path}:{c.Key}", c.Value ?? ""));
    }

    private static int? ReadInt(IConfigurationSection section, string path, string key, int min, int max) =>
        section[key] is { } text ? ParseInt(text, $"{path}:{key}", min, max, "") : null;

    private static long? ReadLong(IConfigurationSection section, string path, string key, long min, long max)
    {
        if (section[key] is not { } text)
        {
            return null;
        }

        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new SchedulingConfigurationException($"{path}:{key} is '{text}'; it must be a whole number from {min} to {max}");
    }

    private static int ParseInt(string text, string path, int min, int max, string why) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new SchedulingConfigurationException($"{path} is '{text}'; it must be a whole number from {min} to {max}{why}");
}
