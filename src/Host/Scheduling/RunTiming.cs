namespace Inference.Host.Scheduling;

/// <summary>
/// Stopwatch timestamps the scheduler puts on a request it ran: when an instance took it (its wait
/// for a batch or a free instance ended there), and when its ORT run started and returned. For a
/// merged batch the run is the batch's, and the time between <see cref="Taken"/> and
/// <see cref="InferStart"/> is the concatenation of the inputs.
/// </summary>
public readonly record struct RunTiming(long Taken, long InferStart, long InferEnd)
{
    /// <summary>False until the scheduler has run the request.</summary>
    public bool IsSet => InferEnd != 0;
}
