using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Inference.Host.Engines;
using Inference.Host.Protocol.Engine;
using Inference.Host.Tests.Execution;
using Inference.Onnx.Authoring;
using Inference.Onnx.Runtime;
using Inference.Onnx.Tensors;
using Inference.Packaging.Manifest;

namespace Inference.Host.Tests.Engines;

public sealed class OnnxTensorMappingTests
{
    // OUT = AUDIO * GAIN: a segment of raw FP32 samples and a float parameter.
    private static readonly byte[] GainModel = new OnnxGraphBuilder("gain")
        .Input("AUDIO", TensorElementType.Float, 1, "n")
        .Input("GAIN", TensorElementType.Float)
        .Output("OUT", TensorElementType.Float, 1, "n")
        .Node("Mul", ["AUDIO", "GAIN"], ["OUT"])
        .Build();

    private static readonly byte[] TextModel = new OnnxGraphBuilder("text")
        .Input("TEXT", TensorElementType.String, 1)
        .Output("TEXT_OUT", TensorElementType.String, 1)
        .Node("Identity", ["TEXT"], ["TEXT_OUT"])
        .Build();

    private static readonly EngineEntry GainEngine = new(EngineKind.Onnx, "model.onnx", null, null, null,
        [new TensorBinding("audio", "AUDIO", "FP32", null), new TensorBinding("gain", "GAIN", null, null)],
        [new TensorBinding("scaled", "OUT", null, null)]);

    [Fact]
    public void SegmentsAndParametersFeedTheModelAndOutputsBecomeSegments()
    {
        using var session = InferenceSession.Create(OrtTestEnvironment.Instance, GainModel);
        float[] samples = [0.5f, -1f, 2f];
        var request = Request(new() { ["gain"] = 2.0 }, ("audio", "raw", MemoryMarshal.AsBytes(samples.AsSpan()).ToArray()));

        var (indices, values) = OnnxTensorMapping.BuildInputs(session, GainEngine, request);
        var outputs = new OrtValue?[1];
        session.Run(indices, values, [0], outputs);

        using var output = outputs[0]!;
        Assert.Equal(new long[] { 1, 3 }, values[0].Shape);
        var raw = OnnxTensorMapping.Encode(GainEngine.Outputs[0], output, new DataSegment("scaled", SegmentType.Tensor, ["raw", "json"], null), null);
        Assert.Equal(samples.Select(x => x * 2).ToArray(), MemoryMarshal.Cast<byte, float>(raw.Data.Span).ToArray());
        var json = OnnxTensorMapping.Encode(GainEngine.Outputs[0], output, new DataSegment("scaled", SegmentType.Tensor, ["raw", "json"], null), "json");
        using var document = JsonDocument.Parse(json.Data);
        Assert.Equal([1L, 3L], document.RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([1f, -2f, 4f], document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
        foreach (var value in values)
        {
            value.Dispose();
        }
    }

    [Fact]
    public void TextSegmentsTravelAsStrings()
    {
        using var session = InferenceSession.Create(OrtTestEnvironment.Instance, TextModel);
        var engine = new EngineEntry(EngineKind.Onnx, "m", null, null, null, [new TensorBinding("text", "TEXT", "BYTES", null)], [new TensorBinding("result", "TEXT_OUT", null, null)]);
        var request = Request([], ("text", "utf8", Encoding.UTF8.GetBytes("héllo")));

        var (indices, values) = OnnxTensorMapping.BuildInputs(session, engine, request);
        var outputs = new OrtValue?[1];
        session.Run(indices, values, [0], outputs);

        using var output = outputs[0]!;
        var segment = OnnxTensorMapping.Encode(engine.Outputs[0], output, new DataSegment("result", SegmentType.Text, ["utf8"], null), null);
        Assert.Equal("héllo", Encoding.UTF8.GetString(segment.Data.Span));
        values[0].Dispose();
    }

    [Fact]
    public void ASegmentThatIsNotWholeElementsIsAClientError()
    {
        using var session = InferenceSession.Create(OrtTestEnvironment.Instance, GainModel);
        var request = Request(new() { ["gain"] = 1.0 }, ("audio", "raw", new byte[7]));

        var e = Assert.Throws<EngineInputException>(() => OnnxTensorMapping.BuildInputs(session, GainEngine, request));

        Assert.Contains("'audio'", e.Message, StringComparison.Ordinal);
        Assert.Contains("FP32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABindingToAnInputTheModelLacksNamesBoth()
    {
        using var session = InferenceSession.Create(OrtTestEnvironment.Instance, GainModel);
        var engine = GainEngine with { Inputs = [new TensorBinding("audio", "SAMPLES", null, null)] };

        var e = Assert.Throws<InvalidOperationException>(() => OnnxTensorMapping.BuildInputs(session, engine, Request([], ("audio", "raw", new byte[4]))));

        Assert.Contains("'SAMPLES'", e.Message, StringComparison.Ordinal);
        Assert.Contains("AUDIO", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclaredDatatypeMustMatchTheModel()
    {
        using var session = InferenceSession.Create(OrtTestEnvironment.Instance, GainModel);
        var engine = GainEngine with { Inputs = [new TensorBinding("audio", "AUDIO", "INT16", null)] };

        var e = Assert.Throws<InvalidOperationException>(() => OnnxTensorMapping.BuildInputs(session, engine, Request([], ("audio", "raw", new byte[4]))));

        Assert.Contains("INT16", e.Message, StringComparison.Ordinal);
    }

    private static EngineRequest Request(Dictionary<string, object?> parameters, params (string Name, string Encoding, byte[] Data)[] payload) =>
        new("r", null, EngineRequestReader.StatusOnce, parameters, new Dictionary<string, string?>(),
            payload.ToDictionary(p => p.Name, p => new EngineDataSegment(p.Name, p.Encoding, EngineRequestReader.StatusOnce, p.Data)));
}
