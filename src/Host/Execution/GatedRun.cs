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

    /// <summary>
    /// Records a served request in Triton's stages from its timestamps and the scheduler's. Decoding
    /// comes before the gate, so the stages are passed shifted, the total unchanged: queue = every wait
    /// between decoding and an instance taking the request (the gate, the batcher, a busy instance);
    /// input = the decoding, plus a batch's concatenation; infer = the ORT run alone; output = splitting
    /// a batch's outputs and writing the response.
    /// </summary>
    public static void RecordSuccess(OnnxModel model, Protocol.Oip.InferRequest request, BoundInputs bound, long arrival, long decoded, GatedRunResult run, long returned, long outputDone)
    {
        var batch = request.Inputs.Count > 0 && request.Inputs[0].Shape.Length > 0 ? request.Inputs[0].Shape[0] : 1;
        var timing = bound.Timing;
        if (timing.IsSet)
        {
            model.Statistics.RecordSuccess(batch, arrival, arrival + (timing.Taken - decoded), timing.InferStart, timing.InferEnd, outputDone);
        }
        else
        {
            // Not stamped (a scheduler that does not say): the gate is the only wait known.
            model.Statistics.RecordSuccess(batch, arrival, arrival + (run.AdmittedTimestamp - decoded), run.AdmittedTimestamp, returned, outputDone);
        }
    }

    /// <summary>The answer to a request whose deadline passed, queued (it never ran) or running (its run was stopped).</summary>
    public static InferenceError DeadlineExceeded(OnnxModel model, long arrival, bool running) =>
        new(ErrorKind.DeadlineExceeded, AdmissionMessages.DeadlinePassed($"model '{model.Name}' version {model.VersionText}", Stopwatch.GetElapsedTime(arrival), running));

    /// <summary>The answer to a request refused because the model is at its max concurrency.</summary>
    public static InferenceError Refused(string name, long version, AdmissionGate gate) =>
        new(ErrorKind.TooManyRequests, AdmissionMessages.Refused($"model '{name}' version {version}", gate.Snapshot()));
}
