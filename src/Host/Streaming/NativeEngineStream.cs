using System.Globalization;
using System.Threading.Channels;
using Inference.Host.Engines;
using Inference.Host.Protocol.Engine;
using Inference.Native;
using Inference.Packaging.Manifest;

namespace Inference.Host.Streaming;

/// <summary>
/// A native plugin's session (wrapperCreate / wrapperWrite / wrapperRead / wrapperDestroy) behind
/// <see cref="IEngineStream"/>. Sync mode reads after each write and, after the last chunk, polls until
/// the End result (as the reference loader does; bounded by the session's own lifetime); async mode gets
/// its results by callback. Results wait in the session's bounded queue (see <see cref="WrapperSession"/>).
/// </summary>
internal sealed class NativeEngineStream : IEngineStream
{
    /// <summary>How often sync mode polls after the last chunk while the End result is not there yet.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    private readonly WrapperSession session;
    private readonly PluginManifest manifest;

    private NativeEngineStream(WrapperSession session, PluginManifest manifest, IReadOnlyDictionary<string, string?> expect)
    {
        this.session = session;
        this.manifest = manifest;
        Results = new NativeResultReader(session.Results, manifest, expect);
    }

    public ChannelReader<EngineDataSegment> Results { get; }

    public bool IsAsync => session.IsAsync;

    public static NativeEngineStream Open(NativeEngine engine, string usrTag, IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, string?> expect, bool asyncMode, int capacity)
    {
        try
        {
            return new NativeEngineStream(engine.Plugin.CreateSession(usrTag, Strings(parameters), asyncMode, resultCapacity: capacity), engine.Manifest, expect);
        }
        catch (WrapperException e)
        {
            throw new EnginePluginException(e.Code, e.Text, e);
        }
        catch (NotSupportedException e)
        {
            throw new StreamFailureException(StreamFailure.Protocol(StreamErrorCodes.NotStreamable, $"engine '{engine.Manifest.Service.Id}' cannot stream in {(asyncMode ? "async" : "sync")} mode: {e.Message}"), e);
        }
    }

    public async ValueTask WriteAsync(IReadOnlyList<EngineDataSegment> chunks, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = new WrapperData[chunks.Count];
        var ends = false;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            var type = manifest.Request.FirstOrDefault(r => r.Name == chunk.Name)?.Type ?? SegmentType.Text;
            data[i] = new WrapperData(chunk.Name, chunk.Data, TypeOf(type), (WrapperDataStatus)chunk.Status, new Dictionary<string, string>(1) { ["encoding"] = chunk.Encoding });
            ends |= chunk.Status is (int)WrapperDataStatus.End or (int)WrapperDataStatus.Once;
        }

        try
        {
            session.Write(data);
            if (ends && !session.IsAsync)
            {
                await session.PollUntilEndAsync(PollInterval, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WrapperException e)
        {
            throw new EnginePluginException(e.Code, e.Text, e);
        }
    }

    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken) => session.WaitForRoomAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        session.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The ABI's parameters are strings; typed values are written the way the manifest spells them.</summary>
    private static Dictionary<string, string> Strings(IReadOnlyDictionary<string, object?> parameters) =>
        parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value switch
        {
            bool b => b ? "true" : "false",
            DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
            _ => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!,
        });

    private static WrapperDataType TypeOf(SegmentType type) => type switch
    {
        SegmentType.Audio => WrapperDataType.Audio,
        SegmentType.Image => WrapperDataType.Image,
        SegmentType.Video => WrapperDataType.Video,
        _ => WrapperDataType.Text,
    };
}
