using Inference.Host.Admission;
using Inference.Host.Engines;
using Inference.Host.Streaming;
using Inference.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Transport.WebSockets;

/// <summary>
/// The real host for the streaming tests, on a clock the tests move by hand (idle timeout, lifetime).
/// Its repository: <c>echo</c> (managed), <c>textnative</c> (the native C sample, sync mode), <c>textasync</c>
/// (the same library, async mode by configuration), <c>gain</c> (ONNX-only) and the Silero VAD sample
/// package. Small limits, so each can be reached: 4 sessions per engine, a reorder window of 4, 64 KiB
/// messages, 4 results queued.
/// </summary>
public sealed class StreamingHost : IAsyncLifetime
{
    public const int MaxSessions = 4;
    public const int ReorderWindow = 4;
    public const int MaxMessageBytes = 64 * 1024;
    public const int SendQueue = 4;
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(600);

    private readonly string root = Path.Combine(Path.GetTempPath(), "inference-streams-" + Guid.NewGuid().ToString("N"));
    private StartedHost? host;

    public ManualTimeProvider Clock { get; } = new();

    public Uri BaseAddress => Started.BaseAddress;

    public HttpClient Client => Started.Client;

    public StreamStatistics Statistics => Started.App.Services.GetRequiredService<StreamStatistics>();

    private StartedHost Started => host ?? throw new InvalidOperationException("host not started");

    public AdmissionGate Gate(string service) => Engine(service).Gate!;

    public EngineVersionEntry Engine(string service) =>
        Started.App.Services.GetRequiredService<EngineRegistry>().Resolve(service, null, out _)!;

    public StreamCounters Counters(string service) => Statistics.For(service, Engine(service).Version.ToString());

    /// <summary>Waits until the engine's sessions are over: slots freed, sessions closed, plugin sessions closed.</summary>
    public Task WaitUntilFreedAsync(string service) => LoadControlHost.WaitUntil(() =>
        Gate(service).Snapshot().Running == 0 && Counters(service) is { Open: 0, PluginSessions: 0 });

    public async Task InitializeAsync()
    {
        var repository = Path.Combine(root, "models");
        Directory.CreateDirectory(repository);
        TestPackages.WriteTo(repository);
        TestPackages.WritePackage(repository, "textasync-1.0.0.tar.gz", TestPackages.NativeManifest.Replace("id: textnative", "id: textasync", StringComparison.Ordinal), [("lib/libwrapper.so", File.ReadAllBytes(NativeSample.Build()))]);
        foreach (var file in new[] { "silero_vad-1.0.0.tar.gz", "silero_vad-1.0.0.tar.gz.md5" })
        {
            File.Copy(Path.Combine(RepoPaths.Root, "samples", "models", file), Path.Combine(repository, file));
        }

        string[] limits = [.. new[] { "echo", "textnative", "textasync", "silero_vad" }.SelectMany(s => new[]
        {
            $"--Engines:{s}:OptimalConcurrency", MaxSessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"--Engines:{s}:MaxConcurrency", MaxSessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })];
        host = await StartedHost.StartAsync(
            builder => builder.Services.AddSingleton<TimeProvider>(Clock),
            [
                "--repository", repository, "--http-port", "0", "--run-test-cases-on-load", "false",
                "--Host:StreamIdleTimeoutSeconds", ((int)IdleTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Host:StreamMaxLifetimeSeconds", ((int)MaxLifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Host:StreamReorderWindow", ReorderWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Host:StreamMaxMessageBytes", MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Host:StreamSendQueue", SendQueue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Engines:textasync:StreamMode", "async",
                .. limits,
            ]);
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind harms nothing.
        }
    }
}
