using System.Net;
using System.Net.Http.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Admission;

/// <summary>With <c>Host:ReadinessLoadThreshold</c>, readiness turns false above the share of max in use, and back.</summary>
public sealed class LoadReadinessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AboveTheThresholdTheHostAndTheModelAreNotReadyAndBelowItTheyAre()
    {
        await using var host = await LoadControlHost.StartAsync(
            """{ "Host": { "ReadinessLoadThreshold": 0.5 }, "Models": { "simple": { "OptimalConcurrency": 1, "MaxConcurrency": 4 } } }""");
        var gate = host.ModelGate("simple");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);

        using var holder = await HeldSlot.TakeAsync(gate);
        var first = host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest());
        await LoadControlHost.WaitUntil(() => gate.Snapshot().Queued == 1);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/ready")).StatusCode); // 2 of 4: at the threshold, not above

        var second = host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest());
        await LoadControlHost.WaitUntil(() => gate.Snapshot().Queued == 2);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Client.GetAsync("/v2/models/simple/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/models/slow/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/live")).StatusCode);

        holder.Dispose();
        Assert.All(await Task.WhenAll(first, second).WaitAsync(Wait), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/models/simple/ready")).StatusCode);
    }

    [Fact]
    public async Task WithoutAThresholdLoadNeverAffectsReadiness()
    {
        await using var host = await LoadControlHost.StartAsync("""{ "Models": { "simple": { "OptimalConcurrency": 1, "MaxConcurrency": 2 } } }""");
        var gate = host.ModelGate("simple");
        using var holder = await HeldSlot.TakeAsync(gate);
        var queued = host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest());
        await LoadControlHost.WaitUntil(() => gate.Snapshot().Queued == 1);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v2/health/ready")).StatusCode);

        holder.Dispose();
        Assert.Equal(HttpStatusCode.OK, (await queued.WaitAsync(Wait)).StatusCode);
    }
}
