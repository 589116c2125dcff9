using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Inference.Host.Engines;
using Inference.Host.Protocol.Engine;
using Inference.Native;
using Inference.Packaging.Manifest;

namespace Inference.Host.Streaming;

/// <summary>
/// A native session's results as engine segments, converted as they are read (no second queue): the
/// encoding from the result's own description, else the one the client expected, else the manifest's;
/// the plugin's failures as <see cref="EnginePluginException"/>, an overflow as a <see cref="StreamFailure"/>.
/// </summary>
internal sealed class NativeResultReader(ChannelReader<WrapperData> source, PluginManifest manifest, IReadOnlyDictionary<string, string?> expect) : ChannelReader<EngineDataSegment>
{
    public override bool CanCount => true;

    public override int Count => source.Count;

    public override Task Completion => source.Completion;

    public override bool TryRead([MaybeNullWhen(false)] out EngineDataSegment item)
    {
        if (source.TryRead(out var data))
        {
            var encoding = data.Description?.GetValueOrDefault("encoding")
                ?? expect.GetValueOrDefault(data.Key)
                ?? manifest.Response.FirstOrDefault(s => s.Name == data.Key)?.Encodings[0]
                ?? "raw";
            item = new EngineDataSegment(data.Key, encoding, (int)data.Status, data.Data);
            return true;
        }

        item = null;
        return false;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        var waiting = source.WaitToReadAsync(cancellationToken);
        return waiting.IsCompletedSuccessfully ? waiting : Translated(waiting);
    }

    private static async ValueTask<bool> Translated(ValueTask<bool> waiting)
    {
        try
        {
            return await waiting.ConfigureAwait(false);
        }
        catch (WrapperException e)
        {
            throw new EnginePluginException(e.Code, e.Text, e);
        }
        catch (ResultOverflowException e)
        {
            throw new StreamFailureException(new StreamFailure(StreamFailureKind.Overflow, StreamErrorCodes.ResultsOverflow, $"{e.Message}; read results as they come (Host:StreamSendQueue)"), e);
        }
    }
}
