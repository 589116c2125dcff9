using Inference.Host.Protocol.Engine;
using Inference.Host.Streaming;

namespace Inference.Host.Tests.Streaming;

public sealed class StreamSequencerTests
{
    private readonly StreamSequencer sequencer = new(window: 4);
    private readonly List<StreamFrame> ready = [];

    [Fact]
    public void FramesWithoutANumberComeInTheOrderSentAndGetBeginThenContinue()
    {
        Assert.Null(Accept(null, "a"));
        Assert.Null(Accept(null, "b"));
        Assert.Null(Accept(null, "c", status: 2));

        Assert.Equal([1L, 2, 3], ready.Select(f => f.Seq));
        Assert.Equal([0, 1, 2], ready.Select(f => f.Chunks[0].Status));
        Assert.True(sequencer.Ended);
    }

    [Fact]
    public void AnImpliedNumberFollowsTheHighestSeen()
    {
        Assert.Null(Accept(2, "b"));
        Assert.Null(Accept(null, "c")); // 3: held too, 1 is missing
        Assert.Empty(ready);
        Assert.False(sequencer.NothingHeld);

        Assert.Null(Accept(1, "a", status: 0));

        Assert.Equal(["a", "b", "c"], ready.Select(f => Text(f)));
        Assert.True(sequencer.NothingHeld);
    }

    [Fact]
    public void AnEndHeldForAGapClosesTheStreamToLaterNumbers()
    {
        Assert.Null(Accept(3, "end", status: 2));

        var failure = Accept(4, "late");

        Assert.Equal(StreamErrorCodes.SequenceGap, failure!.Code);
        Assert.Equal("frame 4 comes after frame 3, which ended the stream", failure.Message);
        Assert.Null(Accept(2, "b"));
        Assert.Null(Accept(1, "a"));
        Assert.Equal(["a", "b", "end"], ready.Select(f => Text(f)));
    }

    [Fact]
    public void AnEndBelowANumberAlreadyReceivedIsRefused()
    {
        Accept(1, "a");
        Accept(3, "c");

        Assert.Equal(StreamErrorCodes.SequenceGap, Accept(2, "end", status: 2)!.Code);
    }

    [Fact]
    public void BeginOnlyInTheFirstFrame()
    {
        Assert.Null(Accept(null, "a", status: 0));

        var failure = Accept(null, "b", status: 0);

        Assert.Equal((StreamErrorCodes.InvalidFrame, StreamFailureKind.Protocol), (failure!.Code, failure.Kind));
    }

    [Theory]
    [InlineData(5, StreamErrorCodes.SequenceGap)] // next is 1, window 4: 1..4
    [InlineData(0, StreamErrorCodes.InvalidFrame)]
    public void NumbersOutsideTheWindowOrBelowOneAreRefused(long seq, int code) =>
        Assert.Equal(code, Accept(seq, "x")!.Code);

    [Fact]
    public void ADuplicateIsRefused()
    {
        Accept(1, "a");

        Assert.Equal(StreamErrorCodes.DuplicateSequence, Accept(1, "a")!.Code);
    }

    private StreamFailure? Accept(long? seq, string text, int status = StreamSequencer.ImpliedStatus) =>
        sequencer.Accept(seq, [new EngineDataSegment("text", "utf8", status, System.Text.Encoding.UTF8.GetBytes(text))], ready);

    private static string Text(StreamFrame frame) => System.Text.Encoding.UTF8.GetString(frame.Chunks[0].Data.Span);
}
