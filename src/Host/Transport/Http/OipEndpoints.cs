using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Inference.Host.Errors;
using Inference.Host.Protocol.Oip;
using Inference.Host.Protocol.Oip.Messages;
using Inference.Host.Registry;
using Inference.Onnx.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Transport.Http;

/// <summary>The Open Inference Protocol's REST routes (and the Triton extensions we support).</summary>
public static class OipEndpoints
{
    public const string ServerName = "inference-host";

    public static readonly IReadOnlyList<string> Extensions = ["binary_tensor_data", "model_repository_index", "statistics", "generate"];

    public static string ServerVersion { get; } =
        typeof(OipEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapOpenInferenceProtocol(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", () => Results.Ok());
        app.MapGet("/v2/health/ready", (Health.HealthProbe probe) => probe.IsReady() ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/v2", (OrtEnvironment ort) => Results.Json(
            new ServerMetadataResponse(ServerName, ServerVersion, Extensions, new OnnxRuntimeInfo(ort.Version, ort.Library.Path, ort.AvailableProviders)),
            OipJsonContext.Relaxed.ServerMetadataResponse));

        app.MapGet("/v2/models/{model}", ModelMetadata);
        app.MapGet("/v2/models/{model}/versions/{version}", ModelMetadata);
        app.MapGet("/v2/models/{model}/ready", ModelReady);
        app.MapGet("/v2/models/{model}/versions/{version}/ready", ModelReady);

        app.MapPost("/v2/models/{model}/infer", (HttpContext context, InferEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapPost("/v2/models/{model}/versions/{version}/infer", (HttpContext context, InferEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapPost("/v2/models/{model}/generate", (HttpContext context, InferEndpoint endpoint) => endpoint.HandleGenerateAsync(context, stream: false));
        app.MapPost("/v2/models/{model}/versions/{version}/generate", (HttpContext context, InferEndpoint endpoint) => endpoint.HandleGenerateAsync(context, stream: false));
        app.MapPost("/v2/models/{model}/generate_stream", (HttpContext context, InferEndpoint endpoint) => endpoint.HandleGenerateAsync(context, stream: true));
        app.MapPost("/v2/models/{model}/versions/{version}/generate_stream", (HttpContext context, InferEndpoint endpoint) => endpoint.HandleGenerateAsync(context, stream: true));

        app.MapPost("/v2/repository/index", (ModelRegistry registry) => Results.Json(
            registry.All().Select(e => new RepositoryIndexEntry(e.Name, e.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ModelStateNames.Of(e.State), e.Reason ?? "")).ToArray(),
            OipJsonContext.Relaxed.RepositoryIndexEntryArray));

        app.MapGet("/v2/models/stats", (HttpContext context, ModelRegistry registry) => WriteStatistics(context, registry.All()));
        app.MapGet("/v2/models/{model}/stats", Statistics);
        app.MapGet("/v2/models/{model}/versions/{version}/stats", Statistics);
        return app;
    }

    private static Task ModelMetadata(HttpContext context, ModelRegistry registry, string model, string? version)
    {
        var entry = registry.Resolve(model, version, out var error);
        if (error is not null)
        {
            return HttpErrorWriter.WriteAsync(context, error);
        }

        var m = entry!.Model!;
        var response = new ModelMetadataResponse(
            m.Name,
            registry.Versions(model).Where(v => v.State == ModelState.Ready).Select(v => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            Execution.OnnxModel.Platform,
            m.Inputs.Select(ToResponse).ToArray(),
            m.Outputs.Select(ToResponse).ToArray());
        return Results.Json(response, OipJsonContext.Relaxed.ModelMetadataResponse).ExecuteAsync(context);
    }

    private static Task ModelReady(HttpContext context, ModelRegistry registry, Admission.LoadReadiness load, string model, string? version)
    {
        var entry = registry.Resolve(model, version, out var error);
        if (error is { Kind: ErrorKind.NotFound })
        {
            return HttpErrorWriter.WriteAsync(context, error);
        }

        context.Response.StatusCode = error is null && !load.IsOverloaded(entry?.Gate) ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return Task.CompletedTask;
    }

    private static Task Statistics(HttpContext context, ModelRegistry registry, string model, string? version)
    {
        if (version is null)
        {
            var versions = registry.Versions(model);
            return versions.Count == 0
                ? HttpErrorWriter.WriteAsync(context, InferenceError.NotFound($"unknown model '{model}'"))
                : WriteStatistics(context, versions);
        }

        var entry = registry.Resolve(model, version, out var error);
        return error is { Kind: ErrorKind.NotFound } ? HttpErrorWriter.WriteAsync(context, error) : WriteStatistics(context, [entry!]);
    }

    private static async Task WriteStatistics(HttpContext context, IEnumerable<ModelVersionEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        StatisticsWriter.Write(buffer, entries);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory);
    }

    private static TensorMetadataResponse ToResponse(TensorMetadata t) => new(t.Name, OipDataType.ToName(t.ElementType), t.Shape);
}
