using Google.Protobuf;
using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Tests.Infrastructure;
using static Inference.Host.Protocol.Grpc.ModelInferRequest.Types;
using static Inference.Host.Tests.Transport.Grpc.OipGrpcMessages;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>ModelInfer end to end: HttpClient over HTTP/2 against the real host's gRPC port.</summary>
[Collection(HostCollection.Name)]
public sealed class ModelInferTests(HostFixture fixture) : IDisposable
{
    private const string Infer = "/inference.GRPCInferenceService/ModelInfer";

    private readonly GrpcTestClient client = new(fixture.GrpcAddress);

    [Fact]
    public async Task TypedContentsInTypedContentsOut()
    {
        var reply = await client.UnaryAsync(Infer, SimpleTyped(id: "42"));

        var response = reply.Single(ModelInferResponse.Parser);
        Assert.Equal("simple", response.ModelName);
        Assert.Equal("1", response.ModelVersion);
        Assert.Equal("42", response.Id);
        Assert.Empty(response.RawOutputContents);
        Assert.Equal(["OUTPUT0", "OUTPUT1"], response.Outputs.Select(o => o.Name));
        Assert.All(response.Outputs, o => Assert.Equal("FP32", o.Datatype));
        Assert.Equal([1L, 16L], response.Outputs[0].Shape);
        Assert.Equal(Ramp.Select(v => v + 1), response.Outputs[0].Contents.Fp32Contents);
        Assert.Equal(Ramp.Select(v => v - 1), response.Outputs[1].Contents.Fp32Contents);
    }

    [Fact]
    public async Task RawContentsInRawContentsOut()
    {
        var reply = await client.UnaryAsync(Infer, SimpleRaw());

        var response = reply.Single(ModelInferResponse.Parser);
        Assert.Equal(2, response.RawOutputContents.Count);
        Assert.All(response.Outputs, o => Assert.Null(o.Contents));
        Assert.Equal(Ramp.Select(v => v + 1), Floats(response.RawOutputContents[0]));
        Assert.Equal(Ramp.Select(v => v - 1), Floats(response.RawOutputContents[1]));
    }

    [Fact]
    public async Task RequestedOutputsAreSelectedAndOrderedAndBinaryDataOutputAsksForRaw()
    {
        var request = SimpleTyped();
        request.Outputs.Add(new InferRequestedOutputTensor { Name = "OUTPUT1" });
        request.Parameters["binary_data_output"] = Bool(true);

        var response = (await client.UnaryAsync(Infer, request)).Single(ModelInferResponse.Parser);

        Assert.Equal("OUTPUT1", Assert.Single(response.Outputs).Name);
        Assert.Equal(Ramp.Select(v => v - 1), Floats(Assert.Single(response.RawOutputContents)));
    }

    [Fact]
    public async Task ABatchOfRowsRunsAsOne()
    {
        var request = new ModelInferRequest { ModelName = "simple" };
        var a = Enumerable.Range(0, 48).Select(i => (float)i).ToArray();
        request.Inputs.Add(new InferInputTensor { Name = "INPUT0", Datatype = "FP32", Shape = { 3, 16 }, Contents = new() { Fp32Contents = { a } } });
        request.Inputs.Add(new InferInputTensor { Name = "INPUT1", Datatype = "FP32", Shape = { 3, 16 }, Contents = new() { Fp32Contents = { a } } });

        var response = (await client.UnaryAsync(Infer, request)).Single(ModelInferResponse.Parser);

        Assert.Equal([3L, 16L], response.Outputs[0].Shape);
        Assert.Equal(a.Select(v => v * 2), response.Outputs[0].Contents.Fp32Contents);
    }

    [Theory]
    [InlineData("INT8", "identity_int8")]
    [InlineData("INT16", "identity_int16")]
    [InlineData("INT32", "identity_int32")]
    [InlineData("INT64", "identity_int64")]
    [InlineData("UINT8", "identity_uint8")]
    [InlineData("UINT16", "identity_uint16")]
    [InlineData("UINT32", "identity_uint32")]
    [InlineData("UINT64", "identity_uint64")]
    [InlineData("FP64", "identity_fp64")]
    [InlineData("BOOL", "identity_bool")]
    public async Task EveryTypedDatatypeRoundTrips(string datatype, string model)
    {
        var contents = datatype switch
        {
            "INT8" or "INT16" or "INT32" => new InferTensorContents { IntContents = { -3, 0, 7 } },
            "INT64" => new InferTensorContents { Int64Contents = { -3, 0, long.MaxValue } },
            "UINT8" or "UINT16" or "UINT32" => new InferTensorContents { UintContents = { 0, 7, 200 } },
            "UINT64" => new InferTensorContents { Uint64Contents = { 0, 7, ulong.MaxValue } },
            "FP64" => new InferTensorContents { Fp64Contents = { -1.5, 0, 1e300 } },
            _ => new InferTensorContents { BoolContents = { true, false, true } },
        };
        var request = new ModelInferRequest { ModelName = model };
        request.Inputs.Add(new InferInputTensor { Name = "IN", Datatype = datatype, Shape = { 1, 3 }, Contents = contents });

        var response = (await client.UnaryAsync(Infer, request)).Single(ModelInferResponse.Parser);

        var output = Assert.Single(response.Outputs);
        Assert.Equal(datatype, output.Datatype);
        Assert.Equal(contents, output.Contents);
    }

    [Fact]
    public async Task BytesRoundTripTypedAndRaw()
    {
        var typed = new ModelInferRequest { ModelName = "identity_bytes" };
        typed.Inputs.Add(new InferInputTensor { Name = "IN", Datatype = "BYTES", Shape = { 1, 2 }, Contents = new() { BytesContents = { ByteString.CopyFromUtf8("héllo"), ByteString.CopyFrom(0, 255) } } });
        var typedOut = (await client.UnaryAsync(Infer, typed)).Single(ModelInferResponse.Parser);
        Assert.Equal(typed.Inputs[0].Contents.BytesContents, typedOut.Outputs[0].Contents.BytesContents);

        var raw = new ModelInferRequest { ModelName = "identity_bytes" };
        raw.Inputs.Add(new InferInputTensor { Name = "IN", Datatype = "BYTES", Shape = { 1, 2 } });
        byte[] elements = [2, 0, 0, 0, (byte)'h', (byte)'i', 0, 0, 0, 0];
        raw.RawInputContents.Add(ByteString.CopyFrom(elements));
        var rawOut = (await client.UnaryAsync(Infer, raw)).Single(ModelInferResponse.Parser);
        Assert.Equal(elements, rawOut.RawOutputContents[0].ToByteArray());
    }

    [Fact]
    public async Task Fp16TravelsRawAndIsRefusedAsTyped()
    {
        var raw = new ModelInferRequest { ModelName = "identity_fp16" };
        raw.Inputs.Add(new InferInputTensor { Name = "IN", Datatype = "FP16", Shape = { 1, 2 } });
        byte[] halves = [0x00, 0x3C, 0x00, 0xC0]; // 1.0, -2.0
        raw.RawInputContents.Add(ByteString.CopyFrom(halves));
        var response = (await client.UnaryAsync(Infer, raw)).Single(ModelInferResponse.Parser);
        Assert.Equal(halves, response.RawOutputContents[0].ToByteArray());

        var typed = new ModelInferRequest { ModelName = "identity_fp16" };
        typed.Inputs.Add(new InferInputTensor { Name = "IN", Datatype = "FP16", Shape = { 1, 1 }, Contents = new() { Fp32Contents = { 1f } } });
        var message = (await client.UnaryAsync(Infer, typed)).Failed(GrpcStatusCode.InvalidArgument);
        Assert.Equal("input 'IN': FP16 has no typed contents field; send it as raw bytes in raw_input_contents", message);
    }

    [Fact]
    public async Task AShapeThatDoesNotFitTheDataIsInvalidArgumentNamingTheInput()
    {
        var request = SimpleTyped(a: [1, 2, 3]);

        var message = (await client.UnaryAsync(Infer, request)).Failed(GrpcStatusCode.InvalidArgument);

        Assert.Equal("input 'INPUT0' has shape [1,3] but model 'simple' expects [-1,16] (-1 is any size)", message);
    }

    [Fact]
    public async Task ContentsThatDoNotFillTheShapeAreInvalidArgumentNamingTheInput()
    {
        var request = SimpleTyped();
        request.Inputs[1].Shape[1] = 15;
        request.Inputs[1].Shape.Add(1);

        var message = (await client.UnaryAsync(Infer, request)).Failed(GrpcStatusCode.InvalidArgument);

        Assert.Equal("input 'INPUT1': shape [1,15,1] needs 15 elements but fp32_contents has 16", message);
    }

    [Fact]
    public async Task RawContentsOfTheWrongSizeAreInvalidArgumentNamingTheInput()
    {
        var request = SimpleRaw();
        request.RawInputContents[1] = ByteString.CopyFrom(new byte[60]);

        var message = (await client.UnaryAsync(Infer, request)).Failed(GrpcStatusCode.InvalidArgument);

        Assert.Equal("input 'INPUT1': shape [1,16] of FP32 needs 64 bytes but its raw_input_contents has 60", message);
    }

    [Fact]
    public async Task AValueOutOfRangeForItsDatatypeIsInvalidArgument()
    {
        var request = new ModelInferRequest { ModelName = "identity_int8" };
        request.Inputs.Add(new InferInputTensor { Name = "IN", Datatype = "INT8", Shape = { 1, 2 }, Contents = new() { IntContents = { 1, 300 } } });

        var message = (await client.UnaryAsync(Infer, request)).Failed(GrpcStatusCode.InvalidArgument);

        Assert.Equal("input 'IN': element 1 is 300, out of range for INT8 [-128, 127]", message);
    }

    [Fact]
    public async Task UnknownModelIsNotFoundAndAnUnloadableOneUnavailable()
    {
        var unknown = (await client.UnaryAsync(Infer, SimpleTyped(model: "no_such_model"))).Failed(GrpcStatusCode.NotFound);
        Assert.Equal("unknown model 'no_such_model'", unknown);

        var corrupt = (await client.UnaryAsync(Infer, SimpleTyped(model: "corrupt"))).Failed(GrpcStatusCode.Unavailable);
        Assert.StartsWith("model 'corrupt' has no ready version", corrupt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrtFailureIsInternalWithOrtsMessage()
    {
        var request = new ModelInferRequest { ModelName = "reshape_fails" };
        request.Inputs.Add(new InferInputTensor { Name = "IN", Datatype = "FP32", Shape = { 4 }, Contents = new() { Fp32Contents = { 1, 2, 3, 4 } } });

        var message = (await client.UnaryAsync(Infer, request)).Failed(GrpcStatusCode.Internal);

        Assert.StartsWith("ONNX Runtime failed running model 'reshape_fails': ", message, StringComparison.Ordinal);
    }

    public void Dispose() => client.Dispose();
}
