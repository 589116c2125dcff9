using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Engines;

/// <summary>
/// A host whose repository holds the LanesPlugin package as <c>lanes</c> and <c>badlanes</c>, and the echo
/// package, with a watched settings file the tests write (and may rewrite) for their engine settings.
/// </summary>
internal sealed class LanesHost : IAsyncDisposable
{
    private LanesHost(DirectoryInfo root, string settings, StartedHost host)
    {
        Root = root;
        SettingsFile = settings;
        Host = host;
    }

    public DirectoryInfo Root { get; }

    public string SettingsFile { get; }

    public StartedHost Host { get; }

    public static async Task<LanesHost> StartAsync(string settingsJson)
    {
        var root = Directory.CreateTempSubdirectory("lanes-host-");
        var repository = root.CreateSubdirectory("models").FullName;
        TestPackages.WriteLanesPackage(repository);
        var lanes = Path.Combine(root.FullName, "lanes-build");
        TestPackages.Unpack(lanes, TestPackages.LanesManifest, "LanesPlugin");
        var files = Directory.GetFiles(Path.Combine(lanes, "plugin")).Select(f => ("plugin/" + Path.GetFileName(f), File.ReadAllBytes(f))).ToArray();
        TestPackages.WritePackage(repository, "badlanes-1.0.0.tar.gz", TestPackages.LanesManifest.Replace("id: lanes", "id: badlanes", StringComparison.Ordinal), files);
        var echo = Path.Combine(root.FullName, "echo-build");
        TestPackages.Unpack(echo, TestPackages.ManagedManifest, "EchoPlugin");
        TestPackages.WritePackage(repository, "echo-1.0.0.tar.gz", TestPackages.ManagedManifest, Directory.GetFiles(Path.Combine(echo, "plugin")).Select(f => ("plugin/" + Path.GetFileName(f), File.ReadAllBytes(f))).ToArray());
        var settings = Path.Combine(root.FullName, "settings.json");
        await File.WriteAllTextAsync(settings, settingsJson);
        var host = await StartedHost.StartAsync("--repository", repository, "--http-port", "0", "--settings", settings, "--run-test-cases-on-load", "false");
        return new LanesHost(root, settings, host);
    }

    /// <summary>Posts one lanes call; its status and the "result" text (or the error message).</summary>
    public async Task<(int Status, string Text)> PostAsync(string service, string text, long delayMs = 0)
    {
        var request = new Dictionary<string, object?>
        {
            ["parameter"] = new Dictionary<string, object?> { ["delay_ms"] = delayMs },
            ["payload"] = new Dictionary<string, object?> { ["text"] = new { text } },
        };
        using var response = await Host.Client.PostAsJsonAsync($"/v1/engines/{service}", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("payload", out var payload)
            ? ((int)response.StatusCode, payload.GetProperty("result").GetProperty("text").GetString()!)
            : ((int)response.StatusCode, body.GetProperty("header").GetProperty("message").GetString()!);
    }

    /// <summary>The /v1/engines/stats entry of one service.</summary>
    public async Task<JsonElement> StatsOf(string service)
    {
        var stats = await Host.Client.GetFromJsonAsync<JsonElement>("/v1/engines/stats");
        return stats.GetProperty("engines").EnumerateArray().Single(e => e.GetProperty("service").GetString() == service);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind harms nothing.
        }
    }
}
