using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Admission;
using Inference.Host.Registry;
using Inference.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Inference.Host.Tests.Admission;

/// <summary>Load limits change while the host runs: an operator edits the settings file, the gates follow.</summary>
public sealed class LoadLimitsReloaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EditingTheSettingsFileChangesTheLimitsOfModelsAndEnginesLive()
    {
        await using var host = await LoadControlHost.StartAsync("""{ "Models": { "simple": { "OptimalConcurrency": 1, "MaxConcurrency": 2 } } }""");
        Assert.Equal(new LoadLimits(1, 2), host.ModelGate("simple").Limits);
        Assert.Equal(new LoadLimits(2, 4), host.EngineGate("echo").Limits);

        await host.RewriteSettingsAsync("""
            { "Models": { "simple": { "OptimalConcurrency": 3, "MaxConcurrency": 9, "TimeoutMicroseconds": 5000000 } },
              "Engines": { "echo": { "MaxConcurrency": 7 } } }
            """);

        await LoadControlHost.WaitUntil(() => host.ModelGate("simple").Limits == new LoadLimits(3, 9, 5_000_000) && host.EngineGate("echo").Limits.Max == 7);
        Assert.Equal(new LoadLimits(2, 7), host.EngineGate("echo").Limits); // optimal still the manifest's
        var simple = await host.LoadOf("model", "simple");
        Assert.Equal(9, simple.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(5_000_000, simple.GetProperty("timeout_us").GetInt64());
    }

    [Fact]
    public async Task LoweringTheLimitsWhileRequestsWaitDropsNoneOfThemAndRefusesNewOnesUntilDrained()
    {
        await using var host = await LoadControlHost.StartAsync("""{ "Models": { "simple": { "OptimalConcurrency": 1, "MaxConcurrency": 4 } } }""");
        var gate = host.ModelGate("simple");
        using var holder = await HeldSlot.TakeAsync(gate);
        var queued = Enumerable.Range(0, 3).Select(_ => host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest())).ToList();
        await LoadControlHost.WaitUntil(() => gate.Snapshot().Queued == 3);

        await host.RewriteSettingsAsync("""{ "Models": { "simple": { "OptimalConcurrency": 1, "MaxConcurrency": 1 } } }""");
        await LoadControlHost.WaitUntil(() => gate.Limits.Max == 1);

        Assert.Equal(3, gate.Snapshot().Queued);
        using (var refused = await host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest()))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        holder.Dispose();
        var answers = await Task.WhenAll(queued).WaitAsync(Wait);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        using var afterDrain = await host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest());
        Assert.Equal(HttpStatusCode.OK, afterDrain.StatusCode);
    }

    [Fact]
    public async Task LimitsThatDoNotFitTogetherAreRefusedAndThePreviousOnesStay()
    {
        await using var host = await LoadControlHost.StartAsync("""{ "Models": { "simple": { "OptimalConcurrency": 2, "MaxConcurrency": 5 } } }""");
        var reloader = host.Host.App.Services.GetRequiredService<LoadLimitsReloader>();

        await host.RewriteSettingsAsync("""{ "Models": { "simple": { "OptimalConcurrency": 6, "MaxConcurrency": 5 }, "slow": { "OptimalConcurrency": 1, "MaxConcurrency": 3 } } }""");
        await LoadControlHost.WaitUntil(() => host.ModelGate("slow").Limits.Max == 3);
        reloader.Apply();

        Assert.Equal(new LoadLimits(2, 5), host.ModelGate("simple").Limits);
    }

    [Fact]
    public async Task AModelWhoseConfiguredLimitsAreInvalidIsUnavailableNamingTheKey()
    {
        await using var host = await LoadControlHost.StartAsync("""{ "Models": { "simple": { "MaxConcurrency": "many" } } }""");

        using var response = await host.Client.PostAsJsonAsync("/v2/models/simple/infer", LoadControlHost.SimpleRequest());
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Models:simple:MaxConcurrency must be an integer, got 'many'", error, StringComparison.Ordinal);
        var entry = host.Host.App.Services.GetRequiredService<ModelRegistry>().Versions("simple").Single();
        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Null(entry.Gate);
    }
}
