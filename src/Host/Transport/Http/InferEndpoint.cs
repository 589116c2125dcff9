using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Errors;
using Inference.Host.Execution;
using Inference.Host.Observability;
using Inference.Host.Protocol.Oip;
using Inference.Host.Registry;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Transport.Http;

/// <summary>
/// POST /v2/models/{m}[/versions/{v}]/infer: body into a pinned buffer, decode, bind, run, encode from
/// ORT's memory. The stages are timed into the model's statistics. A client that goes away
/// terminates its run.
/// </summary>
public sealed class InferEndpoint(ModelRegistry registry, PinnedBufferPool pool, IOptions<ServerOptions> options, ILogger<InferEndpoint> logger)
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    [ThreadStatic]
    private static OrtRunOptions? threadRunOptions;

    private readonly long bodyLimit = options.Value.MaxRequestBodyBytes;

    public async Task HandleAsync(HttpContext context)
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
        RequestBody? body = null;
        InferRequest? request = null;
        BoundInputs? bound = null;
        OrtValue?[]? results = null;
        try
        {
            var headerLength = ParseHeaderLength(context.Request);
            body = await RequestBodyReader.ReadAsync(context.Request, headerLength, bodyLimit, pool, context.RequestAborted);
            if (headerLength > body.Length)
            {
                throw new InferenceException(InferenceError.Invalid($"{HeaderLengthHeader} is {headerLength} but the body has only {body.Length} bytes"));
            }

            var jsonLength = headerLength >= 0 ? headerLength : body.Length;
            request = InferRequestReader.Read(body.Array, body.Offset, jsonLength, body.Length - jsonLength, pool);
            bound = InputBinder.Bind(model, request);
            var inputReady = Stopwatch.GetTimestamp();

            results = new OrtValue?[bound.OutputIndices.Length];
            Run(model, bound, results, context.RequestAborted);
            var inferDone = Stopwatch.GetTimestamp();

            await WriteResponseAsync(context, model, request, bound, results);
            var outputDone = Stopwatch.GetTimestamp();
            model.Statistics.RecordSuccess(BatchSize(request), start, start, inputReady, inferDone, outputDone);
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

    private static void Run(OnnxModel model, BoundInputs bound, OrtValue?[] results, CancellationToken aborted)
    {
        // One run options object per thread: a run is synchronous on its thread, so no two runs share
        // one, and disposing the registration waits out a late Terminate before the object is reused.
        var runOptions = threadRunOptions ??= new OrtRunOptions();
        if (runOptions.IsTerminated)
        {
            runOptions.Reset();
        }

        using (aborted.Register(static s => ((OrtRunOptions)s!).Terminate(), runOptions))
        {
            aborted.ThrowIfCancellationRequested();
            model.Session.Run(bound.InputIndices, bound.Values, bound.OutputIndices, results, runOptions);
        }
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

    private static long BatchSize(InferRequest request) =>
        request.Inputs.Count > 0 && request.Inputs[0].Shape.Length > 0 ? request.Inputs[0].Shape[0] : 1;
}
