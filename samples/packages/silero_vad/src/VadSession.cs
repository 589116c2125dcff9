using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Inference.Plugins.Sdk;

namespace Inference.Samples.SileroVad;

/// <summary>
/// A streaming session: audio chunks of any size in; one <c>segments</c> result per detected segment
/// (an NDJSON line, status Continue) as soon as its bounds are final; at the end of the audio a last
/// result with status End holding the lines only the end could settle (possibly none). All results
/// together are exactly the one-shot answer for the same audio.
/// </summary>
public sealed class VadSession(SileroModel model, VadSettings settings) : IPluginSession
{
    private readonly SpeechDetector detector = new(model, settings);
    private readonly Channel<PluginData> results = Channel.CreateUnbounded<PluginData>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock gate = new();
    private bool ended;

    public ValueTask WriteAsync(PluginData chunk, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (ended)
            {
                throw new PluginException(VadErrors.InvalidStream, "the stream has already ended");
            }

            try
            {
                if (chunk.Name != SileroVadPlugin.AudioSegment || chunk.Encoding != SileroVadPlugin.AudioEncoding)
                {
                    throw new PluginException(VadErrors.InvalidStream, $"expected '{SileroVadPlugin.AudioSegment}' chunks in {SileroVadPlugin.AudioEncoding}, got '{chunk.Name}' in {chunk.Encoding}");
                }

                var found = new List<SpeechSegment>();
                detector.Write(chunk.Data.Span, found, cancellationToken);
                foreach (var segment in found)
                {
                    results.Writer.TryWrite(Result(DataStatus.Continue, [segment]));
                }

                if (chunk.Status is DataStatus.End or DataStatus.Once)
                {
                    ended = true;
                    found.Clear();
                    detector.Finish(found, cancellationToken);
                    results.Writer.TryWrite(Result(DataStatus.End, found));
                    results.Writer.TryComplete();
                }
            }
            catch (Exception e)
            {
                // The stream cannot go on from a half-processed chunk; the reader learns why too.
                ended = true;
                results.Writer.TryComplete(e);
                throw;
            }
        }

        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<PluginData> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var result in results.Reader.ReadAllAsync(cancellationToken))
        {
            yield return result;
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (gate)
        {
            ended = true;
            results.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    private static PluginData Result(DataStatus status, IReadOnlyCollection<SpeechSegment> segments) =>
        new(SileroVadPlugin.ResultSegment, SileroVadPlugin.ResultEncoding, status, SileroVadPlugin.Lines(segments));
}
