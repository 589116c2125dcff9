using System.Buffers;
using System.Text.Json;
using Inference.Host.Admission;
using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Errors;
using Inference.Host.Protocol.Engine;
using Inference.Host.Registry;
using Inference.Host.Streaming;
using Inference.Host.Transport.Sse;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Inference.Host.Transport.Http;

/// <summary>
/// POST /v1/engines/{service}[/versions/{version}]: the engine-level one-shot call in the ASE loader's
/// JSON shape. Answers carry <c>header.code</c>: 0 on success, the host's 104xx codes when the request
/// does not fit the manifest (400), the plugin's own code with the manifest's description and handling
/// strategy when the plugin refuses (422), 10101 when the engine is unknown (404) or not ready (503),
/// 10110 with 429 and Retry-After when the engine is at its max concurrency (running + queued),
/// 10111 with 408 when the request's deadline passes (header.timeout or the Inference-Timeout header,
/// microseconds; else the engine's default), 10909 when execution fails inside the host (500).
/// header.priority (or Inference-Priority), 0-9, orders the queue: higher first.
/// </summary>
public sealed class EngineEndpoint(EngineRegistry registry, PinnedBufferPool pool, IOptions<ServerOptions> options, TimeProvider time, EngineStreamFactory streams)
{
    public const int ExecFailed = 10909;

    public Task HandleAsync(HttpContext context) => HandleAsync(context, events: false);

    /// <summary>
    /// POST /v1/engines/{service}[/versions/{version}]/sse: the same request, answered as Server-Sent Events:
    /// one <c>data:</c> event per result as the plugin yields it (through its streaming session; an ONNX-only
    /// engine's results come at once), each in the streaming frame shape. Failures before the first event are
    /// the one-shot API's answers; after it, an <c>error</c> event. The request holds its slot until the end,
    /// and a client that goes away closes the plugin's session.
    /// </summary>
    public Task HandleEventsAsync(HttpContext context) => HandleAsync(context, events: true);

    private async Task HandleAsync(HttpContext context, bool events)
    {
        var arrival = time.GetTimestamp();
        var service = (string)context.Request.RouteValues["service"]!;
        var version = context.Request.RouteValues["version"] as string;
        var entry = registry.Resolve(service, version, out var error);
        if (error is not null)
        {
            await WriteError(context, ErrorStatusMap.ToHttpStatus(error.Kind), EngineErrorCodes.EngineInactive, error.Message, null, null);
            return;
        }

        var engine = entry!.Engine!;
        var gate = entry.Gate;
        // Refusing before the body is read makes a refusal beyond max cost next to nothing.
        if (gate is not null && gate.RejectIfFull())
        {
            await RefuseAsync(context, entry, gate, arrival);
            return;
        }

        RequestBody body;
        try
        {
            body = await RequestBodyReader.ReadAsync(context.Request, -1, options.Value.MaxRequestBodyBytes, pool, context.RequestAborted);
        }
        catch (InferenceException e)
        {
            await WriteError(context, ErrorStatusMap.ToHttpStatus(e.Error.Kind), EngineErrorCodes.InvalidRequest, e.Message, null, null);
            return;
        }

        using (body)
        {
            var invalid = EngineRequestReader.Read(body.Array.AsSpan(body.Offset, body.Length), engine.Manifest, out var request);
            if (invalid is not null)
            {
                await WriteError(context, StatusCodes.Status400BadRequest, invalid.Code, invalid.Message, null, null);
                return;
            }

            var controls = RequestControlsReader.Read(context.Request.Headers, request!.Priority, request.Timeout, out var controlProblem);
            if (controlProblem is not null)
            {
                await WriteError(context, StatusCodes.Status400BadRequest, EngineErrorCodes.InvalidControl, controlProblem, null, null);
                return;
            }

            using var deadline = RequestDeadline.Start(controls.EffectiveTimeout(gate), arrival, time, context.RequestAborted);
            var lease = gate is null || deadline.Expired ? default : await gate.EnterAsync(controls.Priority, context.RequestAborted, deadline.DeadlineToken);
            IReadOnlyList<EngineDataSegment> result;
            try
            {
                if (deadline.Expired || lease.Decision == AdmissionDecision.Expired)
                {
                    await WriteDeadlineExceeded(context, service, entry, arrival, running: false);
                    return;
                }

                if (lease.Decision == AdmissionDecision.Rejected)
                {
                    await RefuseAsync(context, entry, gate!, arrival);
                    return;
                }

                if (!lease.IsAdmitted)
                {
                    return; // cancelled while queued: the client is gone
                }

                if (events)
                {
                    await ServeEventsAsync(context, entry, request, deadline.Token);
                    return;
                }

                result = await engine.ExecuteAsync(request, deadline.Token);
            }
            catch (StreamFailureException e)
            {
                var failure = e.Failure;
                await WriteError(context, failure.Kind == StreamFailureKind.Internal ? StatusCodes.Status500InternalServerError : StatusCodes.Status422UnprocessableEntity, failure.Code, failure.Message, failure.Description, failure.Strategy);
                return;
            }
            catch (EnginePluginException e)
            {
                var declared = engine.Manifest.Errors.FirstOrDefault(x => x.Code == e.Code);
                await WriteError(context, StatusCodes.Status422UnprocessableEntity, e.Code, e.Message, declared?.Description ?? declared?.Name, declared?.Strategy);
                return;
            }
            catch (EngineInputException e)
            {
                await WriteError(context, StatusCodes.Status400BadRequest, EngineErrorCodes.InvalidSegment, e.Message, null, null);
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or Onnx.Binding.OrtException && deadline.Token.IsCancellationRequested)
            {
                if (deadline.Expired)
                {
                    await WriteDeadlineExceeded(context, service, entry, arrival, running: true);
                }

                return; // otherwise the client is gone
            }
            catch (Exception e) when (e is Onnx.Binding.OrtException or InvalidOperationException)
            {
                await WriteError(context, StatusCodes.Status500InternalServerError, ExecFailed, $"engine '{service}' failed: {e.Message}", null, null);
                return;
            }
            finally
            {
                // The slot is freed as soon as the engine is done, not after the response is written.
                lease.Dispose();
            }

            await WriteSuccess(context, request, result);
        }
    }

    /// <summary>
    /// The results as events: an engine with sessions gets the payload as one write and its results are
    /// sent as they come, until the one with status End (or Once); the write and the reading run together,
    /// so a plugin that yields many results while taking the input is read as it goes.
    /// </summary>
    private async Task ServeEventsAsync(HttpContext context, EngineVersionEntry entry, EngineRequest request, CancellationToken cancellationToken)
    {
        ServerSentEvents.Start(context.Response);
        long seq = 0;
        if (EngineStreamFactory.WhyNotStreamable(entry) is not null)
        {
            foreach (var segment in await entry.Engine!.ExecuteAsync(request, cancellationToken))
            {
                await WriteResultEventAsync(context, request.RequestId, ++seq, segment, cancellationToken);
            }

            return;
        }

        await using var stream = streams.Open(entry, request.RequestId, request.Parameters, request.Expect, options.Value.StreamSendQueue);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = stream.WriteAsync(request.Payload.Values.ToList(), cancellationToken).AsTask();
        var read = ReadResultsAsync(context, request.RequestId, stream, reading.Token);
        if (await Task.WhenAny(writing, read) == writing && writing.IsFaulted)
        {
            // The plugin refused the input: stop reading before the failure is written in its place.
            await reading.CancelAsync();
            await read.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await writing;
        }

        await read;
        await writing;
    }

    private static async Task ReadResultsAsync(HttpContext context, string sessionId, IEngineStream stream, CancellationToken cancellationToken)
    {
        long seq = 0;
        while (await stream.Results.WaitToReadAsync(cancellationToken))
        {
            while (stream.Results.TryRead(out var result))
            {
                await WriteResultEventAsync(context, sessionId, ++seq, result, cancellationToken);
                if (result.Status is (int)Plugins.Sdk.DataStatus.End or (int)Plugins.Sdk.DataStatus.Once)
                {
                    return;
                }
            }
        }

        throw new StreamFailureException(new StreamFailure(StreamFailureKind.Plugin, StreamErrorCodes.InvalidOutput, "the plugin ended its results without one with status 2 (end)"));
    }

    private static Task WriteResultEventAsync(HttpContext context, string sessionId, long seq, EngineDataSegment result, CancellationToken cancellationToken) =>
        ServerSentEvents.WriteAsync(context.Response, null, buffer => StreamFrameWriter.Result(buffer, sessionId, seq, result), cancellationToken);

    private Task RefuseAsync(HttpContext context, EngineVersionEntry entry, AdmissionGate gate, long arrival)
    {
        var snapshot = gate.Snapshot();
        context.Response.Headers.RetryAfter = HttpErrorWriter.RetryAfterSeconds;
        var written = WriteError(context, StatusCodes.Status429TooManyRequests, EngineErrorCodes.ConcurrencyExhausted, AdmissionMessages.Refused($"engine '{entry.Service}' {entry.Version}", snapshot), null, null);
        gate.RefusalTimes.Record((long)time.GetElapsedTime(arrival).TotalNanoseconds);
        return written;
    }

    private Task WriteDeadlineExceeded(HttpContext context, string service, EngineVersionEntry entry, long arrival, bool running)
    {
        var message = AdmissionMessages.DeadlinePassed($"engine '{service}' {entry.Version}", time.GetElapsedTime(arrival), running);
        return WriteError(context, StatusCodes.Status408RequestTimeout, EngineErrorCodes.DeadlineExceeded, message, null, null);
    }

    private static async Task WriteSuccess(HttpContext context, EngineRequest request, IReadOnlyList<EngineDataSegment> result)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, EngineJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("header");
            json.WriteNumber("code", 0);
            json.WriteString("message", "success");
            json.WriteString("request_id", request.RequestId);
            json.WriteNumber("status", request.Status);
            json.WriteEndObject();
            json.WriteStartObject("payload");
            foreach (var segment in result)
            {
                json.WriteStartObject(segment.Name);
                json.WriteString("encoding", segment.Encoding);
                json.WriteNumber("status", segment.Status);
                EngineJson.WriteData(json, segment);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static async Task WriteError(HttpContext context, int status, int code, string message, string? description, string? strategy)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, EngineJson.WriterOptions))
        {
            EngineJson.WriteError(json, code, message, null, description, strategy);
        }

        if (context.Response.HasStarted && ServerSentEvents.IsEventStream(context.Response))
        {
            // The status line went out with the first event: the failure is the stream's last event.
            await ServerSentEvents.WriteAsync(context.Response, ServerSentEvents.ErrorEvent, b => b.Write(buffer.WrittenSpan), CancellationToken.None);
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory);
    }
}
