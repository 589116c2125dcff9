namespace Inference.Host.Streaming;

/// <summary>Which of a session's clocks ran out.</summary>
public enum StreamExpiry
{
    /// <summary>Nothing was received or sent for the idle timeout.</summary>
    Idle,

    /// <summary>The session reached its maximum lifetime.</summary>
    Lifetime,
}
