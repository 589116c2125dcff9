using System.Net;
using System.Net.Http.Json;
using Inference.Host.Memory;
using Inference.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Memory;

/// <summary>The trimmer counts the requests of every gate and trims once after a quiet interval.</summary>
public sealed class IdleMemoryTrimmerTests
{
    [Fact]
    public async Task ItTrimsOnceAfterServedRequestsAndAQuietInterval()
    {
        // Its own clock off, so the test's checks are the only ones.
        await using var host = await LoadControlHost.StartAsync("""{ "Host": { "IdleTrimSeconds": 0 } }""");
        var trimmer = host.Host.App.Services.GetRequiredService<IdleMemoryTrimmer>();
        Assert.Null(trimmer.Check()); // nothing served yet
        var before = trimmer.RequestsSoFar();

        for (var i = 0; i < 3; i++)
        {
            using var response = await host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(before + 3, trimmer.RequestsSoFar());
        Assert.Null(trimmer.Check()); // the interval had requests
        var trimmed = trimmer.Check();
        Assert.NotNull(trimmed);
        Assert.True(trimmed.ResidentAfter > 0);
        Assert.Null(trimmer.Check()); // once per quiet spell
    }

    [Fact]
    public async Task RefusedRequestsCountAsActivityToo()
    {
        await using var host = await LoadControlHost.StartAsync("""{ "Host": { "IdleTrimSeconds": 0 }, "Models": { "simple": { "OptimalConcurrency": 1, "MaxConcurrency": 1 } } }""");
        var trimmer = host.Host.App.Services.GetRequiredService<IdleMemoryTrimmer>();
        var before = trimmer.RequestsSoFar();
        using (await HeldSlot.TakeAsync(host.ModelGate("simple")))
        {
            using var refused = await host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest());
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        Assert.Equal(before + 2, trimmer.RequestsSoFar()); // the held slot and the refusal
    }
}
