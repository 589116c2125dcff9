using System.Globalization;
using Inference.Host.Protocol.Engine;
using Inference.Host.Scheduling;
using Inference.Native;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>
/// A native plugin (ASE loader C ABI) behind the engine interface: one-shot calls through wrapperExec.
/// </summary>
/// <remarks>
/// Always one instance: the library is process-global (one copy of its globals, wrapperInit once), so a
/// second "instance" would be the same object under another name and promise an isolation it does not
/// have. It takes concurrent calls as the ABI requires; <c>OptimalConcurrency</c> is how many. So
/// <c>Instances:Count</c> above 1, <c>Devices</c>, thread settings and <c>Batching</c> (the ABI has no
/// batch call) are refused, naming the key, rather than silently ignored.
/// </remarks>
public sealed class NativeEngine(PluginManifest manifest, WrapperPlugin plugin) : IEngine
{
    private int running;
    private long runs;

    public PluginManifest Manifest { get; } = manifest;

    public ModelSchedulingOptions Scheduling => ModelSchedulingOptions.Default;

    public int InstanceCount => 1;

    /// <summary>Why a native engine cannot be loaded with these settings; null when it can (none set, or <c>Count</c> 1).</summary>
    public static string? SchedulingProblem(ModelSchedulingOptions scheduling, string path)
    {
        var instances = scheduling.Instances;
        return instances.Count > 1 ? $"{path}:Instances:Count is {instances.Count}; {SingleInstance}"
            : instances.Devices.Count > 0 ? $"{path}:Instances:Devices is set, but a native plugin's library chooses its own device; remove the setting"
            : instances.IntraOpThreads is not null || instances.InterOpThreads is not null ? $"{path}:Instances:IntraOpThreads/InterOpThreads are set, but a native plugin's library runs its own threads; remove the setting"
            : scheduling.Batching.Enabled ? $"{path}:Batching:MaxBatchSize is {scheduling.Batching.MaxBatchSize}, but native plugins cannot be batched (the C ABI has no batch call); remove {path}:Batching"
            : null;
    }

    private static string SingleInstance =>
        "a native plugin has one instance (its library is process-global: wrapperInit runs once), which takes concurrent calls itself; raise OptimalConcurrency instead";

    /// <summary>The loaded library, for what is not a one-shot call (streaming sessions, src/Host/Streaming).</summary>
    public WrapperPlugin Plugin => plugin;

    public ValueTask<IReadOnlyList<EngineDataSegment>> ExecuteAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // The ABI's parameters are strings; typed values are written back the way the manifest spells them.
        var parameters = request.Parameters
            .Where(p => p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value switch
            {
                bool b => b ? "true" : "false",
                DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
                _ => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!,
            });
        var data = request.Payload.Values.Select(segment => new WrapperData(
            segment.Name,
            segment.Data,
            TypeOf(Manifest.Request.First(r => r.Name == segment.Name).Type),
            (WrapperDataStatus)segment.Status,
            new Dictionary<string, string> { ["encoding"] = segment.Encoding })).ToList();
        Interlocked.Increment(ref running);
        Interlocked.Increment(ref runs);
        try
        {
            var results = plugin.Exec(request.RequestId, parameters, data);
            return ValueTask.FromResult<IReadOnlyList<EngineDataSegment>>(results.Select(r => new EngineDataSegment(
                r.Key,
                r.Description?.GetValueOrDefault("encoding") ?? request.Expect.GetValueOrDefault(r.Key) ?? Manifest.Response.FirstOrDefault(s => s.Name == r.Key)?.Encodings[0] ?? "raw",
                (int)r.Status,
                r.Data)).ToList());
        }
        catch (WrapperException e)
        {
            throw new EnginePluginException(e.Code, e.Text, e);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }

    public Task SetInstanceCountAsync(int count, CancellationToken cancellationToken) =>
        count == 1 ? Task.CompletedTask : Task.FromException(new InvalidOperationException($"Instances:Count is {count}; {SingleInstance}"));

    public EngineSchedulingSnapshot Snapshot() =>
        new([new EngineInstanceSnapshot(0, "native", Volatile.Read(ref running), Volatile.Read(ref runs))], null, 0, null);

    public ValueTask DisposeAsync()
    {
        plugin.Dispose();
        return ValueTask.CompletedTask;
    }

    private static WrapperDataType TypeOf(SegmentType type) => type switch
    {
        SegmentType.Audio => WrapperDataType.Audio,
        SegmentType.Image => WrapperDataType.Image,
        SegmentType.Video => WrapperDataType.Video,
        _ => WrapperDataType.Text,
    };
}
