using System.Text;
using System.Text.Json;
using Inference.Host.Errors;
using Inference.Host.Protocol.Generate;
using Inference.Onnx.Binding;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;

namespace Inference.Host.Tests.Protocol.Generate;

public sealed class GenerateRequestTranslatorTests
{
    private static readonly TensorMetadata[] Inputs =
    [
        Input("features", TensorElementType.Float, -1, 4),
        Input("text", TensorElementType.String, 1),
        Input("flag", TensorElementType.Bool, -1, 2, 2),
    ];

    [Fact]
    public void ValuesBecomeTypedTensorsWithLeadingOnesUpToTheInputsRank()
    {
        var request = Translate("""{"id":"r1","parameters":{"priority":3},"features":[1,2,3.5,4],"text":"hello","flag":[[true,false],[false,true]]}""");

        Assert.Equal("r1", request.GetProperty("id").GetString());
        Assert.Equal(3, request.GetProperty("parameters").GetProperty("priority").GetInt32());
        var inputs = request.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(["features", "text", "flag"], inputs.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["FP32", "BYTES", "BOOL"], inputs.Select(i => i.GetProperty("datatype").GetString()));
        Assert.Equal([1L, 4L], Shape(inputs[0]));
        Assert.Equal([1L], Shape(inputs[1]));
        Assert.Equal([1L, 2L, 2L], Shape(inputs[2]));
        Assert.Equal([1.0, 2.0, 3.5, 4.0], inputs[0].GetProperty("data").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("hello", inputs[1].GetProperty("data")[0].GetString());
        Assert.Equal([true, false, false, true], inputs[2].GetProperty("data").EnumerateArray().Select(e => e.GetBoolean()));
    }

    [Fact]
    public void ABatchOfRowsKeepsItsOwnFirstDimension()
    {
        var request = Translate("""{"features":[[1,2,3,4],[5,6,7,8]]}""");
        var input = request.GetProperty("inputs")[0];
        Assert.Equal([2L, 4L], Shape(input));
        Assert.Equal(8, input.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"nope":[1]}""", "'nope' is not an input of the model; its inputs: features, text, flag")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""{"features":[[1,2],[3]]}""", "input 'features': nested arrays of unequal length")]
    [InlineData("""{"features":[[[1]]]}""", "input 'features': the value has 3 dimensions but the input has 2")]
    [InlineData("""{"features":[{"a":1}]}""", "input 'features': elements must be numbers, booleans or strings")]
    [InlineData("""{"features":[1,""", "not valid JSON")]
    public void WhatCannotBeTranslatedIsRefusedNamingTheProblem(string body, string message)
    {
        var error = Assert.Throws<InferenceException>(() => Translate(body));
        Assert.Equal(ErrorKind.InvalidRequest, error.Error.Kind);
        Assert.Contains(message, error.Error.Message, StringComparison.Ordinal);
    }

    private static JsonElement Translate(string body) =>
        JsonDocument.Parse(GenerateRequestTranslator.ToInferRequest(Encoding.UTF8.GetBytes(body), Inputs)).RootElement;

    private static long[] Shape(JsonElement input) => input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static TensorMetadata Input(string name, TensorElementType type, params long[] shape) =>
        new(name, OnnxValueType.Tensor, type, shape, shape.Select(_ => "").ToArray());
}
