using System.Diagnostics;
using Inference.Host.Admission;
using Inference.Host.Errors;
using Inference.Onnx.Binding;

namespace Inference.Host.Execution;

/// <summary>
/// A plain model's request after decoding, the same for every protocol (HTTP's infer endpoint, gRPC's
/// ModelInfer and ModelStreamInfer): wait at the model's admission gate in priority order, then run
/// through its scheduler. The deadline takes a waiter out of the queue or stops its run; the client
/// going away does the same. The slot is freed as soon as the run ends, before any response is written.
/// </summary>
public static class GatedRun
{
    /// <summary>
    /// Admits and runs <paramref name="bound"/>. Throws <see cref="InferenceException"/> (DeadlineExceeded)
    /// when the deadline passed, <see cref="OperationCanceledException"/> when the client went away,
    /// and <see cref="OrtException"/> when ORT failed; a full gate is <see cref="GatedRunResult.Refused"/>.
    /// </summary>
    public static async ValueTask<GatedRunResult> RunAsync(OnnxModel model, AdmissionGate? gate, BoundInputs bound, int priority, RequestDeadline deadline, long arrival, CancellationToken aborted)
    {
        var lease = default(AdmissionLease);
        try
        {
            if (gate is not null && !deadline.Expired)
            {
                lease = await gate.EnterAsync(priority, aborted, deadline.DeadlineToken);
                if (lease.Decision == AdmissionDecision.Rejected)
                {
                    return GatedRunResult.Refusal;
                }

                if (lease.Decision == AdmissionDecision.Cancelled)
                {
                    throw new OperationCanceledException(aborted);
                }
            }

            if (deadline.Expired || lease.Decision == AdmissionDecision.Expired)
            {
                throw new InferenceException(DeadlineExceeded(model, arrival, running: false));
            }

            var admitted = Stopwatch.GetTimestamp();
            try
            {
                // Through the model's scheduler (instances, batching); the token terminates the run.
                return new GatedRunResult(await model.Scheduler.RunAsync(bound, deadline.Token), admitted);
            }
            catch (OrtException) when (deadline.Expired)
            {
                throw new InferenceException(DeadlineExceeded(model, arrival, running: true));
            }
        }
        finally
        {
            lease.Dispose();
        }
    }

    /// <summary>The answer to a request whose deadline passed, queued (it never ran) or running (its run was stopped).</summary>
    public static InferenceError DeadlineExceeded(OnnxModel model, long arrival, bool running) =>
        new(ErrorKind.DeadlineExceeded, AdmissionMessages.DeadlinePassed($"model '{model.Name}' version {model.VersionText}", Stopwatch.GetElapsedTime(arrival), running));

    /// <summary>The answer to a request refused because the model is at its max concurrency.</summary>
    public static InferenceError Refused(string name, long version, AdmissionGate gate) =>
        new(ErrorKind.TooManyRequests, AdmissionMessages.Refused($"model '{name}' version {version}", gate.Snapshot()));
}
