using System.Net.Http.Json;
using System.Text.Json;

namespace Inference.WebSocketLoad;

/// <summary>The host's own count of open sessions and plugin sessions (GET /v1/streams), to know the sessions are really open.</summary>
internal static class StreamStats
{
    public static async Task<(long Open, long PluginSessions)> ReadAsync(Uri streamUrl)
    {
        using var http = new HttpClient { BaseAddress = new UriBuilder(streamUrl) { Scheme = streamUrl.Scheme == "wss" ? "https" : "http", Path = "/" }.Uri };
        var stats = await http.GetFromJsonAsync<JsonElement>("/v1/streams");
        long plugin = 0;
        foreach (var engine in stats.GetProperty("engines").EnumerateArray())
        {
            plugin += engine.GetProperty("plugin_sessions").GetInt64();
        }

        return (stats.GetProperty("open").GetInt64(), plugin);
    }
}
