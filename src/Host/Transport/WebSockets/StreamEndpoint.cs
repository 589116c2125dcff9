using System.Text.Json;
using Inference.Host.Admission;
using Inference.Host.Configuration;
using Inference.Host.Engines;
using Inference.Host.Errors;
using Inference.Host.Observability;
using Inference.Host.Protocol.Engine;
using Inference.Host.Streaming;
using Inference.Host.Transport.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host.Transport.WebSockets;

/// <summary>
/// GET /v1/engines/{service}[/versions/{version}]/stream: upgrades to a WebSocket streaming session of
/// the engine (<see cref="WebSocketStreamSession"/>). Everything that can be refused is refused before
/// the upgrade, with the engine API's JSON error and code: unknown or not ready 404/503 (10101), not a
/// WebSocket request 400 (10400), an engine without sessions 400 (10114), the engine at its max
/// concurrency 429 with Retry-After (10110), a bad Inference-Priority / Inference-Timeout header 400
/// (10407), and the deadline passing while waiting for a slot 408 (10111). The session holds its
/// admission slot for its whole life.
/// </summary>
public sealed class StreamEndpoint(
    EngineRegistry registry,
    EngineStreamFactory factory,
    StreamStatistics statistics,
    IOptions<ServerOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<StreamEndpoint> logger)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly StreamOptions streamOptions = StreamOptions.From(options.Value);

    public async Task HandleAsync(HttpContext context)
    {
        var arrival = time.GetTimestamp();
        var service = (string)context.Request.RouteValues["service"]!;
        var version = context.Request.RouteValues["version"] as string;
        var entry = registry.Resolve(service, version, out var error);
        if (error is not null)
        {
            await RefuseAsync(context, service, ErrorStatusMap.ToHttpStatus(error.Kind), EngineErrorCodes.EngineInactive, error.Message);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, service, StatusCodes.Status400BadRequest, StreamErrorCodes.InvalidFrame, $"GET /v1/engines/{service}/stream is a WebSocket endpoint: send the upgrade handshake (Connection: Upgrade, Upgrade: websocket)");
            return;
        }

        if (EngineStreamFactory.WhyNotStreamable(entry!) is { } why)
        {
            await RefuseAsync(context, service, StatusCodes.Status400BadRequest, StreamErrorCodes.NotStreamable, why);
            return;
        }

        var gate = entry!.Gate;
        if (gate is not null && gate.RejectIfFull())
        {
            await RefuseFullAsync(context, entry, gate, arrival);
            return;
        }

        var controls = RequestControlsReader.Read(context.Request.Headers, null, null, out var controlProblem);
        if (controlProblem is not null)
        {
            await RefuseAsync(context, service, StatusCodes.Status400BadRequest, EngineErrorCodes.InvalidControl, controlProblem);
            return;
        }

        // Inference-Timeout (else the engine's default) bounds the wait for a slot, not the session.
        AdmissionLease lease;
        bool expired;
        using (var deadline = RequestDeadline.Start(controls.EffectiveTimeout(gate), arrival, time, context.RequestAborted))
        {
            lease = gate is null || deadline.Expired ? default : await gate.EnterAsync(controls.Priority, context.RequestAborted, deadline.DeadlineToken);
            expired = deadline.Expired;
        }

        try
        {
            if (expired || lease.Decision == AdmissionDecision.Expired)
            {
                await RefuseAsync(context, service, StatusCodes.Status408RequestTimeout, EngineErrorCodes.DeadlineExceeded, AdmissionMessages.DeadlinePassed($"engine '{service}' {entry.Version}", time.GetElapsedTime(arrival), running: false));
                return;
            }

            if (lease.Decision == AdmissionDecision.Rejected)
            {
                await RefuseFullAsync(context, entry, gate!, arrival);
                return;
            }

            if (!lease.IsAdmitted)
            {
                return; // the client left while it waited
            }

            // No keep-alive pings: the idle timeout closes sessions nobody uses, and a timer per idle session costs memory.
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
            var session = new WebSocketStreamSession(socket, entry, factory, streamOptions, statistics.For(entry.Service, entry.Version.ToString()), time, logger, context.RequestAborted);
            await session.RunAsync(lifetime.ApplicationStopping);
        }
        finally
        {
            // The slot is held for the session's whole life, and freed once its plugin session is closed.
            lease.Dispose();
        }
    }

    private Task RefuseFullAsync(HttpContext context, EngineVersionEntry entry, AdmissionGate gate, long arrival)
    {
        context.Response.Headers.RetryAfter = HttpErrorWriter.RetryAfterSeconds;
        var written = RefuseAsync(context, entry.Service, StatusCodes.Status429TooManyRequests, EngineErrorCodes.ConcurrencyExhausted, AdmissionMessages.Refused($"engine '{entry.Service}' {entry.Version}", gate.Snapshot()));
        gate.RefusalTimes.Record((long)time.GetElapsedTime(arrival).TotalNanoseconds);
        return written;
    }

    private async Task RefuseAsync(HttpContext context, string service, int status, int code, string message)
    {
        StreamLog.Refused(logger, service, status, code, message);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("header");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory);
    }
}
