using Inference.Host.Streaming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Transport.WebSockets;

/// <summary>The streaming routes and the services behind them.</summary>
public static class StreamRoutes
{
    public static IServiceCollection AddEngineStreams(this IServiceCollection services) => services
        .AddSingleton<EngineStreamFactory>()
        .AddSingleton<StreamStatistics>()
        .AddSingleton<StreamEndpoint>();

    /// <summary>The upgrade routes (the app must use the WebSocket middleware) and <c>GET /v1/streams</c>, the sessions' counters.</summary>
    public static IEndpointRouteBuilder MapEngineStreams(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/engines/{service}/stream", (HttpContext context, StreamEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapGet("/v1/engines/{service}/versions/{version}/stream", (HttpContext context, StreamEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapGet("/v1/streams", (StreamStatistics statistics) => Results.Json(statistics.Snapshot(), StreamStatistics.JsonOptions));
        return app;
    }
}
