using System.Net.WebSockets;
using Inference.Host.Streaming;

namespace Inference.Host.Transport.WebSockets;

/// <summary>How a session ended: its kind, the close code sent (or echoed), and the failure behind an error frame.</summary>
internal sealed record StreamOutcome(StreamOutcomeKind Kind, int CloseCode, string Reason, StreamFailure? Failure = null)
{
    public static readonly StreamOutcome Ended = new(StreamOutcomeKind.Ended, StreamCloseCodes.Normal, "end");

    /// <summary>1006: no close frame could be exchanged (for the log; never sent).</summary>
    public static readonly StreamOutcome Disconnected = new(StreamOutcomeKind.Disconnected, 1006, "");

    public static readonly StreamOutcome GoingAway = new(StreamOutcomeKind.GoingAway, StreamCloseCodes.GoingAway, "host stopping");

    public static StreamOutcome ClientClosed(WebSocketCloseStatus? status) =>
        new(StreamOutcomeKind.ClientClosed, (int)(status ?? WebSocketCloseStatus.NormalClosure), "");

    // The reason is short (a close frame holds 123 bytes); the error frame before it has the message.
    public static StreamOutcome Failed(StreamFailure failure) =>
        new(StreamOutcomeKind.Failed, StreamCloseCodes.For(failure.Kind), $"{failure.Code} {failure.Kind.ToString().ToLowerInvariant()}", failure);
}
