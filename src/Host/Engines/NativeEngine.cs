using System.Globalization;
using Inference.Host.Protocol.Engine;
using Inference.Native;
using Inference.Packaging.Manifest;

namespace Inference.Host.Engines;

/// <summary>A native plugin (ASE loader C ABI) behind the engine interface: one-shot calls through wrapperExec.</summary>
public sealed class NativeEngine(PluginManifest manifest, WrapperPlugin plugin) : IEngine
{
    public PluginManifest Manifest { get; } = manifest;

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
    }

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
