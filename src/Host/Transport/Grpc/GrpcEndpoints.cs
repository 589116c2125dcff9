using Inference.Host.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inference.Host.Transport.Grpc;

/// <summary>Wires the gRPC transport: its services, and the branch that takes every request arriving on the gRPC port.</summary>
public static class GrpcEndpoints
{
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services)
    {
        services.AddSingleton<GrpcInferExecutor>();
        services.AddSingleton<IGrpcMethod, ServerLiveMethod>();
        services.AddSingleton<IGrpcMethod, ServerReadyMethod>();
        services.AddSingleton<IGrpcMethod, ModelReadyMethod>();
        services.AddSingleton<IGrpcMethod, ServerMetadataMethod>();
        services.AddSingleton<IGrpcMethod, ModelMetadataMethod>();
        services.AddSingleton<IGrpcMethod, ModelInferMethod>();
        services.AddSingleton<IGrpcMethod, ModelStreamInferMethod>();
        services.AddSingleton<IGrpcMethod, HealthCheckMethod>();
        services.AddSingleton<GrpcRouter>();
        return services;
    }

    /// <summary>
    /// Requests on the gRPC port go to the router and nowhere else; the HTTP routes never see them
    /// (and the gRPC paths do not exist on the HTTP port). Must come before routing.
    /// </summary>
    public static WebApplication UseGrpcPort(this WebApplication app)
    {
        var endpoints = app.Services.GetRequiredService<HostEndpoints>();
        var router = app.Services.GetRequiredService<GrpcRouter>();
        app.MapWhen(context => context.Connection.LocalPort == endpoints.GrpcPort, branch => branch.Run(router.HandleAsync));
        app.Lifetime.ApplicationStarted.Register(() =>
            GrpcLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrpcRouter)), endpoints.GrpcPort, router.MaxMessageBytes));
        return app;
    }
}
