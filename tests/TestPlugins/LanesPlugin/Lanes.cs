using System.Globalization;
using System.Text;
using Inference.Plugins.Sdk;

namespace LanesPlugin;

/// <summary>
/// A test plugin for engine instances and batching. "result" is the upper-cased "text" and what served
/// it: <c>TEXT|instance=I|device=D|batch=B|size=N|index=K|shutdowns=S</c> (batch 0: a call alone; batch
/// calls are numbered from 1). Parameters: <c>hold</c> makes a request wait until that many requests have
/// been inside the plugin at once (up to 10 s, else code 20002), <c>delay_ms</c> makes it slow (honouring
/// the token), <c>fail</c> fails it with code 20001 (and with it its whole batch).
/// </summary>
/// <remarks>
/// The counters are static: shared by the instances of one engine version (one load context), which is
/// what lets "at once" span instances. The peak only grows, so a request that sees its hold met returns
/// even after others have already left.
/// </remarks>
public sealed class Lanes : IBatchingPlugin
{
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(10);

    private static int inside;
    private static int peak;
    private static int batches;
    private static int shutdowns;

    private int instanceId = -1;
    private string device = "";

    public ValueTask InitAsync(PluginContext context, CancellationToken cancellationToken)
    {
        instanceId = context.InstanceId;
        device = context.Device;
        return ValueTask.CompletedTask;
    }

    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken) =>
        (await RunAsync([request], 0, cancellationToken))[0];

    public ValueTask<IReadOnlyList<PluginResult>> ExecuteBatchAsync(IReadOnlyList<PluginRequest> requests, CancellationToken cancellationToken) =>
        RunAsync(requests, Interlocked.Increment(ref batches), cancellationToken);

    public IPluginSession CreateSession(IReadOnlyDictionary<string, object?> parameters, IReadOnlyList<uint> resourceIds) =>
        throw new NotSupportedException("lanes answers one-shot calls only");

    public ValueTask LoadResourceAsync(uint resourceId, PluginData data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask UnloadResourceAsync(uint resourceId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public string ErrorText(int code) => code switch
    {
        20001 => "LANES_ERROR_ASKED",
        20002 => "LANES_ERROR_HOLD",
        _ => "LANES_ERROR_UNKNOWN",
    };

    public ValueTask ShutdownAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref shutdowns);
        return ValueTask.CompletedTask;
    }

    private static long Number(PluginRequest request, string name) =>
        request.Parameters.GetValueOrDefault(name) is long value ? value : 0;

    private async ValueTask<IReadOnlyList<PluginResult>> RunAsync(IReadOnlyList<PluginRequest> requests, int batch, CancellationToken cancellationToken)
    {
        var now = Interlocked.Add(ref inside, requests.Count);
        try
        {
            RaisePeak(now);
            var hold = requests.Max(r => Number(r, "hold"));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Volatile.Read(ref peak) < hold)
            {
                if (waited.Elapsed > HoldLimit)
                {
                    throw new PluginException(20002, $"only {Volatile.Read(ref peak)} of {hold} requests were inside at once");
                }

                await Task.Delay(2, cancellationToken);
            }

            var delay = requests.Max(r => Number(r, "delay_ms"));
            if (delay > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay), cancellationToken);
            }

            if (requests.Any(r => r.Parameters.GetValueOrDefault("fail") is true))
            {
                throw new PluginException(20001, "a request asked to fail");
            }

            var results = new PluginResult[requests.Count];
            for (var i = 0; i < results.Length; i++)
            {
                var text = requests[i].Data.TryGetValue("text", out var data) ? Encoding.UTF8.GetString(data.Data.Span) : "";
                var served = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{text.ToUpperInvariant()}|instance={instanceId}|device={device}|batch={batch}|size={requests.Count}|index={i}|shutdowns={Volatile.Read(ref shutdowns)}");
                results[i] = new PluginResult([new PluginData("result", "utf8", DataStatus.Once, Encoding.UTF8.GetBytes(served))]);
            }

            return results;
        }
        finally
        {
            Interlocked.Add(ref inside, -requests.Count);
        }
    }

    private static void RaisePeak(int now)
    {
        var seen = Volatile.Read(ref peak);
        while (now > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, now, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
