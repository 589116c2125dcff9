namespace Inference.Host.Admission;

/// <summary>
/// One request's cancellation: the client going away, or its deadline (counted from arrival) passing.
/// <see cref="Token"/> fires for either; <see cref="Expired"/> says it was the deadline. Without a
/// deadline it is the client's token and allocates nothing. Dispose it when the request is answered.
/// </summary>
public readonly struct RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource? timer;
    private readonly CancellationTokenRegistration link;
    private readonly CancellationToken aborted;

    private RequestDeadline(CancellationToken aborted, CancellationTokenSource? timer, CancellationTokenRegistration link)
    {
        this.aborted = aborted;
        this.timer = timer;
        this.link = link;
    }

    /// <summary>Fires when the client goes away or the deadline passes.</summary>
    public CancellationToken Token => timer?.Token ?? aborted;

    /// <summary>Fires only when the deadline passes (never without one).</summary>
    public CancellationToken DeadlineToken => timer?.Token ?? CancellationToken.None;

    /// <summary>The deadline passed (and the client had not gone away first).</summary>
    public bool Expired => timer is { IsCancellationRequested: true } && !aborted.IsCancellationRequested;

    /// <summary>
    /// A deadline <paramref name="timeoutMicroseconds"/> after <paramref name="arrivalTimestamp"/>
    /// (a <paramref name="time"/> timestamp); 0 means none.
    /// </summary>
    public static RequestDeadline Start(long timeoutMicroseconds, long arrivalTimestamp, TimeProvider time, CancellationToken aborted)
    {
        if (timeoutMicroseconds <= 0)
        {
            return new RequestDeadline(aborted, null, default);
        }

        var remaining = TimeSpan.FromMicroseconds(timeoutMicroseconds) - time.GetElapsedTime(arrivalTimestamp);
        var timer = remaining > TimeSpan.Zero ? new CancellationTokenSource(remaining, time) : new CancellationTokenSource();
        if (remaining <= TimeSpan.Zero)
        {
            timer.Cancel();
        }

        // The client's token cancels the timer's, so one token stands for both; the registration is
        // undone on dispose so a long-lived connection's token does not collect dead timers.
        var link = aborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timer);
        return new RequestDeadline(aborted, timer, link);
    }

    public void Dispose()
    {
        link.Dispose();
        timer?.Dispose();
    }
}
