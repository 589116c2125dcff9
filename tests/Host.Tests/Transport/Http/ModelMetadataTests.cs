using System.Net;
using System.Text.Json;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Http;

[Collection(HostCollection.Name)]
public sealed class ModelMetadataTests(HostFixture host)
{
    [Fact]
    public async Task SimpleHasItsInputsAndOutputsWithDynamicBatch()
    {
        using var doc = await GetJsonAsync("/v2/models/simple");
        var root = doc.RootElement;
        Assert.Equal("simple", root.GetProperty("name").GetString());
        Assert.Equal(["1"], Strings(root.GetProperty("versions")));
        Assert.Equal("onnxruntime_onnx", root.GetProperty("platform").GetString());
        AssertTensors(root.GetProperty("inputs"), ("INPUT0", "FP32", [-1, 16]), ("INPUT1", "FP32", [-1, 16]));
        AssertTensors(root.GetProperty("outputs"), ("OUTPUT0", "FP32", [-1, 16]), ("OUTPUT1", "FP32", [-1, 16]));
    }

    [Fact]
    public async Task MlpClassifierHasProbabilitiesAndInt64Label()
    {
        using var doc = await GetJsonAsync("/v2/models/mlp_classifier");
        AssertTensors(doc.RootElement.GetProperty("inputs"), ("features", "FP32", [-1, 256]));
        AssertTensors(doc.RootElement.GetProperty("outputs"), ("probabilities", "FP32", [-1, 10]), ("label", "INT64", [-1]));
    }

    [Theory]
    [MemberData(nameof(TensorCodec.AllDatatypes), MemberType = typeof(TensorCodec))]
    public async Task IdentityModelsNameTheirDatatypeAsTheProtocolDoes(string datatype)
    {
        var model = TensorCodec.ModelFor(datatype);
        using var doc = await GetJsonAsync($"/v2/models/{model}");
        Assert.Equal(model, doc.RootElement.GetProperty("name").GetString());
        AssertTensors(doc.RootElement.GetProperty("inputs"), ("IN", datatype, [-1, -1]));
        AssertTensors(doc.RootElement.GetProperty("outputs"), ("OUT", datatype, [-1, -1]));
    }

    [Fact]
    public async Task ScalarHasEmptyShapeAndFixedDimsStayFixed()
    {
        using var scalar = await GetJsonAsync("/v2/models/scalar_fp32");
        AssertTensors(scalar.RootElement.GetProperty("inputs"), ("IN", "FP32", []));
        AssertTensors(scalar.RootElement.GetProperty("outputs"), ("OUT", "FP32", []));

        using var reshape = await GetJsonAsync("/v2/models/reshape_fails");
        AssertTensors(reshape.RootElement.GetProperty("inputs"), ("IN", "FP32", [-1]));
        AssertTensors(reshape.RootElement.GetProperty("outputs"), ("OUT", "FP32", [3]));
    }

    [Fact]
    public async Task VersionedMetadataListsBothVersions()
    {
        using var latest = await GetJsonAsync("/v2/models/versioned");
        Assert.Equal(["1", "2"], Strings(latest.RootElement.GetProperty("versions")).Order());

        using var v1 = await GetJsonAsync("/v2/models/versioned/versions/1");
        Assert.Equal("versioned", v1.RootElement.GetProperty("name").GetString());
        Assert.Equal(["1", "2"], Strings(v1.RootElement.GetProperty("versions")).Order());
        AssertTensors(v1.RootElement.GetProperty("inputs"), ("IN", "FP32", [-1]));
        AssertTensors(v1.RootElement.GetProperty("outputs"), ("OUT", "FP32", [-1]));
    }

    [Fact]
    public async Task FlatModelIsVersionOne()
    {
        using var doc = await GetJsonAsync("/v2/models/flat/versions/1");
        Assert.Equal(["1"], Strings(doc.RootElement.GetProperty("versions")));
        AssertTensors(doc.RootElement.GetProperty("inputs"), ("IN", "INT32", [-1]));
    }

    [Fact]
    public async Task UnknownModelOrVersionMetadataIs404()
    {
        using (var response = await host.Client.GetAsync("/v2/models/no_such_model"))
        {
            await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "no_such_model");
        }

        using (var response = await host.Client.GetAsync("/v2/models/simple/versions/7"))
        {
            await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "simple", "7");
        }
    }

    [Fact]
    public async Task CorruptModelMetadataIs503()
    {
        using var response = await host.Client.GetAsync("/v2/models/corrupt");
        await OipClient.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "corrupt");
    }

    [Theory]
    [InlineData("/v2/models/simple/ready", HttpStatusCode.OK)]
    [InlineData("/v2/models/simple/versions/1/ready", HttpStatusCode.OK)]
    [InlineData("/v2/models/versioned/versions/1/ready", HttpStatusCode.OK)]
    [InlineData("/v2/models/versioned/versions/2/ready", HttpStatusCode.OK)]
    [InlineData("/v2/models/flat/ready", HttpStatusCode.OK)]
    [InlineData("/v2/models/no_such_model/ready", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/versioned/versions/3/ready", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/corrupt/ready", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/v2/models/corrupt/versions/1/ready", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/v2/models/badversion/ready", HttpStatusCode.ServiceUnavailable)]
    public async Task ModelReadyAnswersByState(string path, HttpStatusCode expected)
    {
        using var response = await host.Client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            await OipClient.AssertErrorAsync(response, HttpStatusCode.NotFound);
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await host.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static void AssertTensors(JsonElement tensors, params (string Name, string Datatype, long[] Shape)[] expected)
    {
        var actual = tensors.EnumerateArray().Select(t => (
            Name: t.GetProperty("name").GetString()!,
            Datatype: t.GetProperty("datatype").GetString()!,
            Shape: t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray())).ToList();
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(expected[i].Datatype, actual[i].Datatype);
            Assert.Equal(expected[i].Shape, actual[i].Shape);
        }
    }
}
