using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Inference.Plugins.Sdk;

namespace EchoPlugin;

/// <summary>
/// A test plugin: "result" = greeting (a setting) + the upper-cased "text" + resources; an empty text
/// fails with code 10001; <c>delay_ms</c> makes a call slow; sessions echo each chunk upper-cased and the
/// whole text at the end.
/// </summary>
public sealed class Echo : IEnginePlugin
{
    private readonly Dictionary<uint, string> resources = [];
    private string greeting = "";

    public static int LiveInstances;

    /// <summary>Sessions created and not yet disposed: the streaming tests check that the host closes them.</summary>
    public static int LiveSessions;

    public Echo() => Interlocked.Increment(ref LiveInstances);

    public ValueTask InitAsync(PluginContext context, CancellationToken cancellationToken)
    {
        greeting = context.Settings.GetValueOrDefault("greeting", "");
        return ValueTask.CompletedTask;
    }

    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken)
    {
        // A slow call on demand, for the load-control tests: it holds its slot this long (or until cancelled).
        if (request.Parameters.GetValueOrDefault("delay_ms") is long delay and > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), cancellationToken);
        }

        var text = request.Data.TryGetValue("text", out var data) ? Encoding.UTF8.GetString(data.Data.Span) : "";
        if (text.Length == 0)
        {
            throw new PluginException(10001, "text is empty");
        }

        var extra = string.Concat(request.ResourceIds.Select(id => resources.GetValueOrDefault(id, "")));
        var suffix = request.Parameters.GetValueOrDefault("suffix") as string ?? "";
        var result = greeting + text.ToUpperInvariant() + suffix + extra;
        return new PluginResult([new PluginData("result", "utf8", DataStatus.Once, Encoding.UTF8.GetBytes(result))]);
    }

    public IPluginSession CreateSession(IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<uint> resourceIds)
    {
        Interlocked.Increment(ref LiveSessions);
        return new EchoSession();
    }

    public ValueTask LoadResourceAsync(uint resourceId, PluginData data, CancellationToken cancellationToken)
    {
        lock (resources)
        {
            resources[resourceId] = Encoding.UTF8.GetString(data.Data.Span);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UnloadResourceAsync(uint resourceId, CancellationToken cancellationToken)
    {
        lock (resources)
        {
            resources.Remove(resourceId);
        }

        return ValueTask.CompletedTask;
    }

    public string ErrorText(int code) => code == 10001 ? "ECHO_ERROR_EMPTY_TEXT" : "ECHO_ERROR_UNKNOWN";

    public ValueTask ShutdownAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private sealed class EchoSession : IPluginSession
    {
        private readonly Channel<PluginData> results = Channel.CreateUnbounded<PluginData>();
        private readonly StringBuilder all = new();
        private int disposed;

        public ValueTask WriteAsync(PluginData chunk, CancellationToken cancellationToken)
        {
            var text = Encoding.UTF8.GetString(chunk.Data.Span).ToUpperInvariant();
            all.Append(text);
            results.Writer.TryWrite(chunk with { Name = "result", Status = DataStatus.Continue, Data = Encoding.UTF8.GetBytes(text) });
            if (chunk.Status is DataStatus.End or DataStatus.Once)
            {
                results.Writer.TryWrite(new PluginData("result", "utf8", DataStatus.End, Encoding.UTF8.GetBytes(all.ToString())));
                results.Writer.TryComplete();
            }

            return ValueTask.CompletedTask;
        }

        public async IAsyncEnumerable<PluginData> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var item in results.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref LiveSessions);
            }

            results.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
