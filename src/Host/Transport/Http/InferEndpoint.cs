using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Inference.Host.Admission;
using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Errors;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Protocol.Generate;
using Inference.Host.Protocol.Oip;
using Inference.Host.Transport.Sse;
using Inference.Host.Registry;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Transport.Http;

/// <summary>
/// POST /v2/models/{m}[/versions/{v}]/infer: body into a pinned buffer, decode, bind, run, encode from
/// ORT's memory. The stages are timed into the model's statistics. The model's admission gate holds
/// it to its concurrency (429 beyond max, before the body is read); <c>parameters.priority</c> orders
/// its queue and <c>parameters.timeout</c> (microseconds) is its deadline (408: never ran, or its run was
/// stopped). A client that goes away leaves the queue or terminates its run.
/// </summary>
public sealed class InferEndpoint(ModelRegistry registry, PinnedBufferPool pool, IOptions<ServerOptions> options, ILogger<InferEndpoint> logger)
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    private readonly long bodyLimit = options.Value.MaxRequestBodyBytes;

    public Task HandleAsync(HttpContext context) => HandleAsync(context, InferFormat.Oip);

    /// <summary>
    /// POST /v2/models/{m}[/versions/{v}]/generate and /generate_stream (Triton's generate extension): the
    /// request is a JSON object of input values by name (see GenerateRequestTranslator), the answer one flat
    /// JSON object of outputs by name; generate_stream sends it as a Server-Sent Event (a plain model has
    /// one result). Admission, priority, deadlines and statistics are the infer endpoint's.
    /// </summary>
    public Task HandleGenerateAsync(HttpContext context, bool stream) => HandleAsync(context, stream ? InferFormat.GenerateStream : InferFormat.Generate);

    private async Task HandleAsync(HttpContext context, InferFormat format)
    {
        var start = Stopwatch.GetTimestamp();
        var name = (string)context.Request.RouteValues["model"]!;
        var version = context.Request.RouteValues["version"] as string;
        var entry = registry.Resolve(name, version, out var error);
        if (error is not null)
        {
            await HttpErrorWriter.WriteAsync(context, error);
            return;
        }

        var model = entry!.Model!;
        var gate = entry.Gate;
        // Refusing before the body is read makes a refusal beyond max cost next to nothing.
        if (gate is not null && gate.RejectIfFull())
        {
            await RefuseAsync(context, entry, gate, start);
            return;
        }

        RequestBody? body = null;
        InferRequest? request = null;
        BoundInputs? bound = null;
        OrtValue?[]? results = null;
        var deadline = default(RequestDeadline);
        try
        {
            var headerLength = format == InferFormat.Oip ? ParseHeaderLength(context.Request) : -1;
            body = await RequestBodyReader.ReadAsync(context.Request, headerLength, bodyLimit, pool, context.RequestAborted);
            if (headerLength > body.Length)
            {
                throw new InferenceException(InferenceError.Invalid($"{HeaderLengthHeader} is {headerLength} but the body has only {body.Length} bytes"));
            }

            if (format == InferFormat.Oip)
            {
                var jsonLength = headerLength >= 0 ? headerLength : body.Length;
                request = InferRequestReader.Read(body.Array, body.Offset, jsonLength, body.Length - jsonLength, pool);
            }
            else
            {
                var translated = GenerateRequestTranslator.ToInferRequest(body.Array.AsSpan(body.Offset, body.Length), model.Inputs);
                request = InferRequestReader.Read(translated, 0, translated.Length, 0, pool);
            }
            var controls = RequestControlsReader.Read(context.Request.Headers, request.Parameters.GetValueOrDefault("priority"), request.Parameters.GetValueOrDefault("timeout"), out var controlProblem);
            if (controlProblem is not null)
            {
                throw new InferenceException(InferenceError.Invalid(controlProblem));
            }

            bound = InputBinder.Bind(model, request);
            var decoded = Stopwatch.GetTimestamp();
            deadline = RequestDeadline.Start(controls.EffectiveTimeout(gate), start, TimeProvider.System, context.RequestAborted);
            var run = await GatedRun.RunAsync(model, gate, bound, controls.Priority, deadline, start, context.RequestAborted);
            if (run.Refused)
            {
                await RefuseAsync(context, entry, gate!, start);
                return;
            }

            results = run.Results!;
            var returned = Stopwatch.GetTimestamp();
            if (format == InferFormat.Oip)
            {
                await WriteResponseAsync(context, model, request, bound, results);
            }
            else
            {
                await WriteGenerateResponseAsync(context, model, request, bound, results, format == InferFormat.GenerateStream);
            }

            var outputDone = Stopwatch.GetTimestamp();
            GatedRun.RecordSuccess(model, request, bound, start, decoded, run, returned, outputDone);
        }
        catch (InferenceException e)
        {
            model.Statistics.RecordFailure(start, Stopwatch.GetTimestamp());
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await HttpErrorWriter.WriteAsync(context, e.Error);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            model.Statistics.RecordFailure(start, Stopwatch.GetTimestamp());
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            model.Statistics.RecordFailure(start, Stopwatch.GetTimestamp());
            await HttpErrorWriter.WriteAsync(context, GatedRun.DeadlineExceeded(model, start, running: true));
        }
        catch (OrtException e)
        {
            model.Statistics.RecordFailure(start, Stopwatch.GetTimestamp());
            HostLog.RunFailed(logger, model.Name, e.Message);
            await HttpErrorWriter.WriteAsync(context, InferenceError.Internal($"ONNX Runtime failed running model '{model.Name}': {e.Message}"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            model.Statistics.RecordFailure(start, Stopwatch.GetTimestamp());
            HostLog.Unexpected(logger, context.Request.Path, e);
            await HttpErrorWriter.WriteAsync(context, InferenceError.Internal($"internal error serving model '{model.Name}': {e.Message}"));
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
            body?.Dispose();
        }
    }

    private static Task RefuseAsync(HttpContext context, ModelVersionEntry entry, AdmissionGate gate, long arrival)
    {
        var written = HttpErrorWriter.WriteAsync(context, GatedRun.Refused(entry.Name, entry.Version, gate));
        gate.RefusalTimes.Record((long)Stopwatch.GetElapsedTime(arrival).TotalNanoseconds);
        return written;
    }

    private static async Task WriteResponseAsync(HttpContext context, OnnxModel model, InferRequest request, BoundInputs bound, OrtValue?[] results)
    {
        var outputs = new OutputTensor[results.Length];
        var anyBinary = false;
        long binaryLength = 0;
        for (var i = 0; i < results.Length; i++)
        {
            var output = new OutputTensor(model.Outputs[bound.OutputIndices[i]].Name, results[i]!, bound.BinaryOutputs[i]);
            outputs[i] = output;
            if (output.Binary)
            {
                anyBinary = true;
                binaryLength += output.BinarySize;
            }
        }

        using var header = PooledBufferWriter.Rent();
        InferResponseWriter.WriteHeader(header, model.Name, model.VersionText, request.Id, outputs);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = header.WrittenCount + binaryLength;
        if (anyBinary)
        {
            response.ContentType = "application/octet-stream";
            response.Headers[HeaderLengthHeader] = header.WrittenCount.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            response.ContentType = "application/json";
        }

        var writer = response.BodyWriter;
        writer.Write(header.WrittenSpan);
        foreach (var output in outputs)
        {
            if (output.Binary)
            {
                InferResponseWriter.WriteBinary(writer, output);
                if (output.BinarySize >= 256 * 1024)
                {
                    await writer.FlushAsync(context.RequestAborted);
                }
            }
        }

        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>The generate extension's answer: the OIP JSON response (all outputs as JSON) flattened to outputs by name.</summary>
    private static async Task WriteGenerateResponseAsync(HttpContext context, OnnxModel model, InferRequest request, BoundInputs bound, OrtValue?[] results, bool stream)
    {
        var outputs = new OutputTensor[results.Length];
        for (var i = 0; i < results.Length; i++)
        {
            outputs[i] = new OutputTensor(model.Outputs[bound.OutputIndices[i]].Name, results[i]!, binary: false);
        }

        byte[] answer;
        using (var header = PooledBufferWriter.Rent())
        {
            InferResponseWriter.WriteHeader(header, model.Name, model.VersionText, request.Id, outputs);
            answer = GenerateResponseTranslator.FromInferResponse(header.WrittenSpan);
        }

        if (stream)
        {
            ServerSentEvents.Start(context.Response);
            await ServerSentEvents.WriteAsync(context.Response, null, b => b.Write(answer), context.RequestAborted);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private static int ParseHeaderLength(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderLengthHeader, out var values))
        {
            return -1;
        }

        if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new InferenceException(InferenceError.Invalid($"{HeaderLengthHeader} must be one non-negative integer, got '{values}'"));
        }

        return length;
    }
}
