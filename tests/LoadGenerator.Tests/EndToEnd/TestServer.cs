using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inference.LoadGenerator.Tests.EndToEnd;

/// <summary>
/// A real Kestrel server on a free loopback port with endpoints whose answers are known in advance:
/// every 4th request to /ratio is refused with 429, /mixed cycles through 200, 408, 503 and 404,
/// /chunked answers in chunks, /close closes each connection, /slow takes 5 s.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private long ratioRequests;
    private long ratioRejected;
    private long bodyBytes;
    private long mixedRequests;

    private TestServer(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public long RatioRequests => Interlocked.Read(ref ratioRequests);

    public long RatioRejected => Interlocked.Read(ref ratioRejected);

    public long BodyBytes => Interlocked.Read(ref bodyBytes);

    public Uri Url(string path) => new(BaseUrl, path);

    public static async Task<TestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var server = new TestServer(builder.Build());
        server.Map();
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private void Map()
    {
        app.MapPost("/ratio", async (HttpContext context) =>
        {
            var buffer = new byte[4096];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref bodyBytes, read);
            }

            if (Interlocked.Increment(ref ratioRequests) % 4 == 0)
            {
                Interlocked.Increment(ref ratioRejected);
                return Results.Text("busy", statusCode: 429);
            }

            return Results.Text("{\"ok\":true}", "application/json");
        });
        app.MapGet("/mixed", () =>
        {
            int[] statuses = [200, 408, 503, 404];
            return Results.StatusCode(statuses[(Interlocked.Increment(ref mixedRequests) - 1) % 4]);
        });
        app.MapGet("/chunked", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("first part,");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync(new string('x', 5000));
        });
        app.MapGet("/close", (HttpContext context) =>
        {
            context.Response.Headers.Connection = "close";
            return Results.Text("bye");
        });
        app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            return Results.Text("late");
        });
        app.MapGet("/health", () => Results.Text("ok"));
    }
}
