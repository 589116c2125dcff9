using System.Text;
using Inference.Host.Protocol.Engine;
using Inference.Host.Scheduling;
using Inference.Host.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Inference.Host.Tests.Engines;

/// <summary>Requests for the LanesPlugin engine, its answers read back, and engine settings as the host reads them.</summary>
internal static class EngineTestRequests
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static EngineRequest Lanes(string text, long hold = 0, long delayMs = 0, bool fail = false) => new(
        "req-" + text,
        null,
        3,
        new Dictionary<string, object?> { ["hold"] = hold, ["delay_ms"] = delayMs, ["fail"] = fail },
        new Dictionary<string, string?>(),
        new Dictionary<string, EngineDataSegment> { ["text"] = new("text", "utf8", 3, Encoding.UTF8.GetBytes(text)) });

    /// <summary>The LanesPlugin answer as fields: text, instance, device, batch, size, index, shutdowns.</summary>
    public static IReadOnlyDictionary<string, string> Fields(IReadOnlyList<EngineDataSegment> result)
    {
        var parts = Encoding.UTF8.GetString(Assert.Single(result).Data.Span).Split('|');
        return parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]).Append(KeyValuePair.Create("text", parts[0])).ToDictionary();
    }

    /// <summary><c>Engines:{service}:Instances</c> / <c>Batching</c> from these keys (relative to the service), read as the package loader reads them.</summary>
    public static ModelSchedulingOptions Settings(string service, params (string Key, string Value)[] settings) =>
        ModelSchedulingConfiguration.Read(SettingsRoot(service, settings).GetSection("Engines").GetSection(service));

    public static IConfigurationRoot SettingsRoot(string service, params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"Engines:{service}:{s.Key}", (string?)s.Value)))
            .Build();

    /// <summary>
    /// Moves <paramref name="time"/> on by <paramref name="step"/> until <paramref name="task"/> ends: a
    /// batcher arms its timer after it reads the clock, so a single step could fall between the two.
    /// </summary>
    public static async Task AdvanceUntil(ManualTimeProvider time, Task task, TimeSpan step)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!task.IsCompleted)
        {
            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(10, timeout.Token));
            timeout.Token.ThrowIfCancellationRequested();
        }

        await task;
    }

    public static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
