using System.Text;
using System.Text.Json;
using Inference.Host.Protocol.Generate;

namespace Inference.Host.Tests.Protocol.Generate;

public sealed class GenerateResponseTranslatorTests
{
    [Fact]
    public void OutputsBecomeTopLevelFieldsScalarsWhenSingle()
    {
        var oip = """
            {"model_name":"m","model_version":"2","id":"r1","outputs":[
              {"name":"probabilities","datatype":"FP32","shape":[1,3],"data":[0.25,0.5,0.25]},
              {"name":"text_output","datatype":"BYTES","shape":[1],"data":["hi"]},
              {"name":"label","datatype":"INT64","shape":[1,1],"data":[7]}]}
            """;

        var generate = JsonDocument.Parse(GenerateResponseTranslator.FromInferResponse(Encoding.UTF8.GetBytes(oip))).RootElement;

        Assert.Equal("m", generate.GetProperty("model_name").GetString());
        Assert.Equal("2", generate.GetProperty("model_version").GetString());
        Assert.Equal("r1", generate.GetProperty("id").GetString());
        Assert.Equal([0.25, 0.5, 0.25], generate.GetProperty("probabilities").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("hi", generate.GetProperty("text_output").GetString());
        Assert.Equal(7, generate.GetProperty("label").GetInt64());
        Assert.False(generate.TryGetProperty("outputs", out _));
    }

    [Fact]
    public void WithoutAnIdThereIsNoIdField()
    {
        var generate = JsonDocument.Parse(GenerateResponseTranslator.FromInferResponse(
            """{"model_name":"m","model_version":"1","outputs":[{"name":"y","datatype":"FP32","shape":[2],"data":[1,2]}]}"""u8)).RootElement;
        Assert.False(generate.TryGetProperty("id", out _));
        Assert.Equal(2, generate.GetProperty("y").GetArrayLength());
    }
}
