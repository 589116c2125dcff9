using System.Net.Http.Json;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>
/// A gRPC client nobody here wrote — @grpc/grpc-js with @grpc/proto-loader on our .proto files, run by
/// node — against the real host (simple and slow): every RPC, typed and raw contents, a stream of
/// several messages, a deadline, a cancel, error statuses with messages, and health Check.
/// </summary>
public sealed class GrpcNodeClientTests
{
    private static readonly float[] Ramp = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();

    [Fact]
    public async Task TheGrpcJsClientGetsWhatTheProtocolPromises()
    {
        await using var host = await LoadControlHost.StartAsync("{}");
        var slow = host.ModelGate("slow");
        var before = slow.Snapshot();

        var result = await NodeGrpcClient.RunAsync(host.Host.GrpcAddress, TimeSpan.FromMinutes(3));

        Assert.True(Response(result, "live").GetProperty("live").GetBoolean());
        Assert.True(Response(result, "ready").GetProperty("ready").GetBoolean());
        Assert.True(Response(result, "modelReady").GetProperty("ready").GetBoolean());
        Assert.Equal("inference-host", Response(result, "serverMetadata").GetProperty("name").GetString());
        var metadata = Response(result, "metadata");
        Assert.Equal(["INPUT0", "INPUT1"], metadata.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal([-1L, 16L], metadata.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));

        var typed = Ok(result, "inferTyped");
        Assert.Equal("typed-1", typed.GetProperty("id").GetString());
        Assert.Equal(["OUTPUT0", "OUTPUT1"], typed.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(Ramp.Select(v => v + 1), Floats(typed.GetProperty("output0")));
        Assert.Equal(Ramp.Select(v => v - 1), Floats(typed.GetProperty("output1")));

        var raw = Ok(result, "inferRaw");
        Assert.Equal("raw-1", raw.GetProperty("id").GetString());
        Assert.Equal(Ramp.Select(v => v + 1), Floats(raw.GetProperty("output0")));
        Assert.Equal(Ramp.Select(v => v - 1), Floats(raw.GetProperty("output1")));

        var stream = Ok(result, "stream").GetProperty("responses").EnumerateArray().ToArray();
        Assert.Equal(["s1", "s2", "s3", "s4"], stream.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("", stream[0].GetProperty("error_message").GetString());
        Assert.Equal(Ramp.Select(v => v + 1), Floats(stream[0].GetProperty("output0")));
        Assert.Equal("input 'INPUT0' has shape [1,3] but model 'simple' expects [-1,16] (-1 is any size)", stream[1].GetProperty("error_message").GetString());
        Assert.Equal(Enumerable.Repeat(11f, 16), Floats(stream[2].GetProperty("output0")));
        Assert.Equal("unknown model 'no_such_model'", stream[3].GetProperty("error_message").GetString());

        AssertStatus(result, "unknownModel", 5, "unknown model 'no_such_model'");
        AssertStatus(result, "badShape", 3, "input 'INPUT0' has shape [1,3] but model 'simple' expects [-1,16] (-1 is any size)");
        Assert.Equal(4, result.GetProperty("deadline").GetProperty("code").GetInt32());
        Assert.Equal(1, result.GetProperty("cancel").GetProperty("code").GetInt32());
        Assert.Equal("SERVING", Response(result, "health").GetProperty("status").GetString());
        Assert.Equal(5, result.GetProperty("healthUnknown").GetProperty("code").GetInt32());

        // The server stopped the deadline's and the cancel's runs: nothing of the slow model keeps running,
        // and neither counted as a success.
        await LoadControlHost.WaitUntil(() => slow.Snapshot().Running == 0);
        var inferences = (await host.Client.GetFromJsonAsync<JsonElement>("/v2/models/slow/stats"))
            .GetProperty("model_stats")[0].GetProperty("inference_stats");
        // Said in full on failure: which call, how long it took, and the slow model's counts (a flake seen once under full-suite load).
        var seen = $"deadline: {result.GetProperty("deadline")}, cancel: {result.GetProperty("cancel")}, slow stats: {inferences}";
        Assert.True(inferences.GetProperty("success").GetProperty("count").GetInt64() == 0, "a stopped run counted as a success; " + seen);
        Assert.True(inferences.GetProperty("fail").GetProperty("count").GetInt64() == 2, "both stopped runs must count as failures; " + seen);
        Assert.Equal(2, slow.Snapshot().Admitted - before.Admitted);
    }

    private static JsonElement Ok(JsonElement result, string name)
    {
        var call = result.GetProperty(name);
        Assert.True(call.GetProperty("code").GetInt32() == 0, $"{name}: {call}");
        return call;
    }

    private static JsonElement Response(JsonElement result, string name) => Ok(result, name).GetProperty("response");

    private static void AssertStatus(JsonElement result, string name, int code, string details)
    {
        var call = result.GetProperty(name);
        Assert.Equal(code, call.GetProperty("code").GetInt32());
        Assert.Equal(details, call.GetProperty("details").GetString());
    }

    private static IEnumerable<float> Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle());
}
