namespace Inference.Host.Streaming;

/// <summary>Carries a <see cref="StreamFailure"/> out of deep code; the session loop turns it back into a value.</summary>
public sealed class StreamFailureException(StreamFailure failure, Exception? inner = null) : Exception(failure.Message, inner)
{
    public StreamFailure Failure { get; } = failure;
}
