using System.Diagnostics;
using Inference.Host.Admission;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Oip;
using Inference.Host.Registry;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Transport.Grpc;

/// <summary>
/// One <c>ModelInferRequest</c>, for ModelInfer and for each message of ModelStreamInfer: the model is
/// resolved and its gate asked at once (a full gate refuses before any tensor is decoded), the tensors
/// are decoded into our request, then binding, admission, the run and the statistics are the HTTP
/// path's (<see cref="InputBinder"/>, <see cref="GatedRun"/>). <c>parameters.priority</c> orders the
/// queue; the deadline is the earlier of <c>parameters.timeout</c> (else the model's default) and the
/// call's <c>grpc-timeout</c>. A client that cancels takes the request out of the queue or terminates its run.
/// </summary>
public sealed class GrpcInferExecutor(ModelRegistry registry, PinnedBufferPool pool, ILogger<GrpcInferExecutor> logger)
{
    /// <summary>
    /// Serves <paramref name="message"/>, which arrived at <paramref name="arrival"/>: on success hands the
    /// response to <paramref name="write"/> (while the outputs it wraps are alive) and returns null, else
    /// returns the error with nothing written. Throws <see cref="OperationCanceledException"/> when the client went away.
    /// </summary>
    public async ValueTask<InferenceError?> InferAsync(ModelInferRequest message, GrpcCall call, long arrival, Func<ModelInferResponse, ValueTask> write)
    {
        var entry = registry.Resolve(message.ModelName, ModelReadyMethod.NullIfEmpty(message.ModelVersion), out var error);
        if (error is not null)
        {
            return error;
        }

        var model = entry!.Model!;
        var gate = entry.Gate;
        if (gate is not null && gate.RejectIfFull())
        {
            return Refuse(entry, gate, arrival);
        }

        var aborted = call.Aborted;
        InferRequest? request = null;
        BoundInputs? bound = null;
        OrtValue?[]? results = null;
        var deadline = default(RequestDeadline);
        try
        {
            request = GrpcRequestDecoder.Decode(message, pool);
            var controls = RequestControlsReader.Read(call.Context.Request.Headers, request.Parameters.GetValueOrDefault("priority"), request.Parameters.GetValueOrDefault("timeout"), out var problem);
            if (problem is not null)
            {
                throw new InferenceException(InferenceError.Invalid(problem));
            }

            bound = InputBinder.Bind(model, request);
            var decoded = Stopwatch.GetTimestamp();
            deadline = RequestDeadline.Start(GrpcTimeout.Earlier(controls.EffectiveTimeout(gate), CallTimeLeft(call, arrival)), arrival, TimeProvider.System, aborted);
            var run = await GatedRun.RunAsync(model, gate, bound, controls.Priority, deadline, arrival, aborted);
            if (run.Refused)
            {
                return Refuse(entry, gate!, arrival);
            }

            results = run.Results!;
            var returned = Stopwatch.GetTimestamp();
            await write(GrpcResponseEncoder.Encode(model, request, bound, results));
            GatedRun.RecordSuccess(model, request, bound, arrival, decoded, run, returned, Stopwatch.GetTimestamp());
            return null;
        }
        catch (InferenceException e)
        {
            model.Statistics.RecordFailure(arrival, Stopwatch.GetTimestamp());
            return e.Error;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            model.Statistics.RecordFailure(arrival, Stopwatch.GetTimestamp());
            throw;
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            model.Statistics.RecordFailure(arrival, Stopwatch.GetTimestamp());
            return GatedRun.DeadlineExceeded(model, arrival, running: true);
        }
        catch (OrtException e)
        {
            model.Statistics.RecordFailure(arrival, Stopwatch.GetTimestamp());
            GrpcLog.RunFailed(logger, model.Name, e.Message);
            return InferenceError.Internal($"ONNX Runtime failed running model '{model.Name}': {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Counted here; the router logs it and answers INTERNAL.
            model.Statistics.RecordFailure(arrival, Stopwatch.GetTimestamp());
            throw;
        }
        finally
        {
            deadline.Dispose();
            if (results is not null)
            {
                foreach (var r in results)
                {
                    r?.Dispose();
                }
            }

            bound?.Dispose();
            request?.Dispose();
        }
    }

    private static InferenceError Refuse(ModelVersionEntry entry, AdmissionGate gate, long arrival)
    {
        var refusal = GatedRun.Refused(entry.Name, entry.Version, gate);
        gate.RefusalTimes.Record((long)Stopwatch.GetElapsedTime(arrival).TotalNanoseconds);
        return refusal;
    }

    /// <summary>What is left of the call's grpc-timeout at <paramref name="arrival"/> (at least 1 us: 0 would mean none).</summary>
    private static long? CallTimeLeft(GrpcCall call, long arrival)
    {
        if (call.TimeoutMicroseconds is not { } timeout)
        {
            return null;
        }

        var used = (long)Stopwatch.GetElapsedTime(call.Arrival, arrival).TotalMicroseconds;
        return Math.Max(1, timeout - used);
    }
}
