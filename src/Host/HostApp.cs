using System.Net;
using Inference.Host.Buffers;
using Inference.Host.Configuration;
using Inference.Host.Execution;
using Inference.Host.Registry;
using Inference.Host.Transport.Grpc;
using Inference.Host.Transport.Http;
using Inference.Host.Transport.WebSockets;
using Inference.Onnx.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inference.Host;

/// <summary>Builds the host: configuration, ORT, the model registry, Kestrel and the protocol routes.</summary>
public static class HostApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        HostConfiguration.Apply(builder.Configuration, args, Environment.GetEnvironmentVariable);
        // Per-request framework logs cost more than a small model's inference: off unless configured.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        configure?.Invoke(builder);

        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<OnnxRuntimeOptions>().BindConfiguration(OnnxRuntimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // TryAdd: a test host may bring its own clock (the streaming tests drive idle and lifetime by hand).
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(PinnedBufferPool.Shared);
        builder.Services.AddSingleton(sp => OrtEnvironmentFactory.Create(sp.GetRequiredService<IOptions<OnnxRuntimeOptions>>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<Transport.Health.HealthProbe>();
        builder.Services.AddSingleton<Transport.Health.HealthListener>();
        // First of the hosted services: probes are answered (live, not ready) while the repository loads.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Transport.Health.HealthListener>());
        builder.Services.AddSingleton<OnnxModelLoader>();
        builder.Services.AddSingleton<InferEndpoint>();
        builder.Services.AddHostedService<RepositoryLoader>();
        builder.Services.AddSingleton<Engines.EngineRegistry>();
        builder.Services.AddSingleton(sp => new Engines.EngineFactory(
            sp.GetRequiredService<OrtEnvironment>(),
            sp.GetRequiredService<IOptions<OnnxRuntimeOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<Engines.EngineFactory>(),
            sp.GetRequiredService<PinnedBufferPool>()));
        builder.Services.AddSingleton<EngineEndpoint>();
        builder.Services.AddEngineStreams();
        builder.Services.AddHostedService<Engines.PackageLoader>();
        builder.Services.AddSingleton<Admission.LoadLimitsProvider>();
        builder.Services.AddSingleton<Admission.LoadReadiness>();
        builder.Services.AddSingleton<Admission.LoadLimitsReloader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Admission.LoadLimitsReloader>());
        builder.Services.AddSingleton<Engines.EngineInstancesReloader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Engines.EngineInstancesReloader>());

        builder.Services.AddSingleton<Memory.IdleMemoryTrimmer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Memory.IdleMemoryTrimmer>());

        builder.Services.AddSingleton<Transport.HostEndpoints>();
        builder.Services.AddGrpcTransport();

        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // Reading the validated options here makes a bad port or address fail with the option's name.
            var server = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
            kestrel.AddServerHeader = false;
            // The body limit is enforced by RequestBodyReader on the body's bytes (and handed to Kestrel per
            // request when the length is declared); a global Kestrel limit would also count chunked framing.
            kestrel.Limits.MaxRequestBodySize = null;
            var endpoints = kestrel.ApplicationServices.GetRequiredService<Transport.HostEndpoints>();
            kestrel.Listen(IPAddress.Parse(server.HttpAddress), server.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                endpoints.Http = listen;
            });

            // gRPC: HTTP/2 only, without TLS (h2c with prior knowledge, as gRPC clients speak to an insecure channel).
            kestrel.Listen(IPAddress.Parse(server.HttpAddress), server.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                endpoints.Grpc = listen;
            });
        });

        var app = builder.Build();
        app.UseGrpcPort();
        app.UseWebSockets();
        // Explicitly after the gRPC branch, so that gRPC calls skip endpoint matching.
        app.UseRouting();
        app.MapOpenInferenceProtocol();
        app.MapGet("/v1/load", (ModelRegistry models, Engines.EngineRegistry engines) => Results.Json(LoadStatistics.Of(models, engines), LoadStatistics.JsonOptions));
        app.MapGet("/v1/engines/stats", (Engines.EngineRegistry registry) => Results.Json(EngineStatistics.Of(registry.All()), EngineStatistics.JsonOptions));
        app.MapPost("/v1/engines/{service}", (Microsoft.AspNetCore.Http.HttpContext context, EngineEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapPost("/v1/engines/{service}/versions/{version}", (Microsoft.AspNetCore.Http.HttpContext context, EngineEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapPost("/v1/engines/{service}/sse", (Microsoft.AspNetCore.Http.HttpContext context, EngineEndpoint endpoint) => endpoint.HandleEventsAsync(context));
        app.MapPost("/v1/engines/{service}/versions/{version}/sse", (Microsoft.AspNetCore.Http.HttpContext context, EngineEndpoint endpoint) => endpoint.HandleEventsAsync(context));
        app.MapEngineStreams();
        return app;
    }
}
