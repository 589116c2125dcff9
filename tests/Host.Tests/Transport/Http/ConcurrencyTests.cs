using System.Text.Json.Nodes;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class ConcurrencyTests(HostFixture host)
{
    [Fact]
    public async Task ConcurrentClientsEachGetTheirOwnAnswers()
    {
        const int clients = 16;
        const int requests = 50;
        var statsBefore = await new OipClient(host.Client).StatsAsync("simple");

        async Task RunClient(int c)
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var client = new OipClient(http);
            for (var r = 0; r < requests; r++)
            {
                // Values unique to (client, request, element), exact in FP32, so a mix-up cannot go unnoticed.
                var a = Enumerable.Range(0, 16).Select(i => (float)((c * 100_000) + (r * 100) + i)).ToArray();
                var b = Enumerable.Range(0, 16).Select(i => (float)((r * 7) - (c * 3) + (i * 0.5))).ToArray();
                var id = $"c{c}-r{r}";
                InferResult result;
                if (r % 2 == 0)
                {
                    result = await client.InferAsync("simple", OipClient.SimpleRequest(a, b, id));
                }
                else
                {
                    var request = new BinaryRequest()
                        .Id(id)
                        .BinaryInput("INPUT0", "FP32", [1, 16], TensorCodec.Fp32Bytes(a))
                        .BinaryInput("INPUT1", "FP32", [1, 16], TensorCodec.Fp32Bytes(b))
                        .BinaryDataOutput();
                    result = await client.InferAsync("simple", request);
                }

                Assert.Equal(id, result.Id);
                Assert.Equal(a.Zip(b, (x, y) => x + y), result.Output("OUTPUT0").Floats());
                Assert.Equal(a.Zip(b, (x, y) => x - y), result.Output("OUTPUT1").Floats());
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => RunClient(c))));

        var client = new OipClient(host.Client);
        Assert.True(await OipClient.EventuallyAsync(async () => (await client.StatsAsync("simple")).SuccessCount - statsBefore.SuccessCount >= clients * requests));
        await client.AssertServesSimpleAsync();
    }

    [Fact]
    public async Task ConcurrentRequestsAcrossModelsAndVersionsDoNotMix()
    {
        async Task Versioned(OipClient client, int k, string? version, float added)
        {
            var input = new[] { k, -k, k * 0.25f };
            var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "FP32", [3], TensorCodec.ToJsonArray("FP32", input.Cast<object>())) } };
            var result = await client.InferAsync("versioned", request, version);
            Assert.Equal(input.Select(v => v + added), result.Output("OUT").Floats());
        }

        async Task Strings(OipClient client, int k)
        {
            string[] texts = [$"text {k}", $"ünï {k}", new string((char)('a' + (k % 26)), k % 50)];
            var request = new BinaryRequest().BinaryInput("TEXT", "BYTES", [3], TensorCodec.ToBinary("BYTES", texts)).BinaryDataOutput(k % 2 == 0);
            var result = await client.InferAsync("string_identity", request);
            Assert.Equal(texts, result.Output("TEXT_OUT").Values());
        }

        async Task Flat(OipClient client, int k)
        {
            var request = new JsonObject { ["inputs"] = new JsonArray { OipClient.Input("IN", "INT32", [2], new JsonArray(k, -k * 3)) } };
            var result = await client.InferAsync("flat", request);
            Assert.Equal([-k, k * 3], result.Output("OUT").Values());
        }

        async Task Worker(int w)
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            var client = new OipClient(http);
            for (var i = 0; i < 25; i++)
            {
                var k = (w * 1000) + i;
                await ((k % 4) switch
                {
                    0 => Versioned(client, k, "1", 1f),
                    1 => Versioned(client, k, null, 2f),
                    2 => Strings(client, k),
                    _ => Flat(client, k),
                });
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => Worker(w))));
    }
}
