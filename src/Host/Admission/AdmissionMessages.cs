namespace Inference.Host.Admission;

/// <summary>
/// The texts of admission's answers, the same for every protocol; <c>subject</c> names what was asked
/// for ("model 'simple' version 1", "engine 'echo' 1.0.0").
/// </summary>
public static class AdmissionMessages
{
    public static string Refused(string subject, AdmissionSnapshot snapshot) =>
        $"{subject} is at its max concurrency ({snapshot.Max}: {snapshot.Running} running, {snapshot.Queued} queued); retry later";

    public static string DeadlinePassed(string subject, TimeSpan sinceArrival, bool running) =>
        $"the deadline of the request to {subject} passed after {(long)sinceArrival.TotalMicroseconds} us; {(running ? "its run was stopped" : "it never ran")}";
}
