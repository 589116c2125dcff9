using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Protocol.Grpc.Health;
using Inference.Host.Tests.Infrastructure;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>ServerLive, ServerReady, ModelReady, ServerMetadata, ModelMetadata and grpc.health.v1 Check, end to end.</summary>
[Collection(HostCollection.Name)]
public sealed class MetadataAndHealthTests(HostFixture fixture) : IDisposable
{
    private readonly GrpcTestClient client = new(fixture.GrpcAddress);

    [Fact]
    public async Task ServerIsLiveAndReady()
    {
        Assert.True((await client.UnaryAsync(Path("ServerLive"), new ServerLiveRequest())).Single(ServerLiveResponse.Parser).Live);
        Assert.True((await client.UnaryAsync(Path("ServerReady"), new ServerReadyRequest())).Single(ServerReadyResponse.Parser).Ready);
    }

    [Fact]
    public async Task ModelReadyIsTrueForALoadedModelFalseForAFailedOneAndNotFoundForAnUnknownOne()
    {
        Assert.True((await client.UnaryAsync(Path("ModelReady"), new ModelReadyRequest { Name = "simple" })).Single(ModelReadyResponse.Parser).Ready);
        Assert.True((await client.UnaryAsync(Path("ModelReady"), new ModelReadyRequest { Name = "versioned", Version = "1" })).Single(ModelReadyResponse.Parser).Ready);
        Assert.False((await client.UnaryAsync(Path("ModelReady"), new ModelReadyRequest { Name = "corrupt" })).Single(ModelReadyResponse.Parser).Ready);

        var unknown = await client.UnaryAsync(Path("ModelReady"), new ModelReadyRequest { Name = "versioned", Version = "7" });
        Assert.Equal("model 'versioned' has no version 7 (it has 1, 2)", unknown.Failed(GrpcStatusCode.NotFound));
    }

    [Fact]
    public async Task ServerMetadataNamesTheServerAndItsExtensions()
    {
        var metadata = (await client.UnaryAsync(Path("ServerMetadata"), new ServerMetadataRequest())).Single(ServerMetadataResponse.Parser);

        Assert.Equal("inference-host", metadata.Name);
        Assert.False(string.IsNullOrEmpty(metadata.Version));
        Assert.Contains("binary_tensor_data", metadata.Extensions);
    }

    [Fact]
    public async Task ModelMetadataListsTensorsWithDynamicDimensions()
    {
        var metadata = (await client.UnaryAsync(Path("ModelMetadata"), new ModelMetadataRequest { Name = "simple" })).Single(ModelMetadataResponse.Parser);

        Assert.Equal("simple", metadata.Name);
        Assert.Equal("onnxruntime_onnx", metadata.Platform);
        Assert.Equal(["1"], metadata.Versions);
        Assert.Equal(["INPUT0", "INPUT1"], metadata.Inputs.Select(i => i.Name));
        Assert.Equal(["OUTPUT0", "OUTPUT1"], metadata.Outputs.Select(i => i.Name));
        Assert.All(metadata.Inputs, i => Assert.Equal("FP32", i.Datatype));
        Assert.Equal([-1L, 16L], metadata.Inputs[0].Shape);

        Assert.Equal(["1", "2"], (await client.UnaryAsync(Path("ModelMetadata"), new ModelMetadataRequest { Name = "versioned" })).Single(ModelMetadataResponse.Parser).Versions);
        Assert.Equal("unknown model 'nope'", (await client.UnaryAsync(Path("ModelMetadata"), new ModelMetadataRequest { Name = "nope" })).Failed(GrpcStatusCode.NotFound));
        Assert.StartsWith("model 'corrupt' has no ready version", (await client.UnaryAsync(Path("ModelMetadata"), new ModelMetadataRequest { Name = "corrupt" })).Failed(GrpcStatusCode.Unavailable), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("inference.GRPCInferenceService")]
    public async Task HealthCheckIsServing(string service)
    {
        var reply = await client.UnaryAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Single(HealthCheckResponse.Parser).Status);
    }

    [Fact]
    public async Task HealthCheckOfAnUnknownServiceIsNotFoundAndWatchIsUnimplemented()
    {
        var unknown = await client.UnaryAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = "other.Service" });
        Assert.StartsWith("unknown service 'other.Service'", unknown.Failed(GrpcStatusCode.NotFound), StringComparison.Ordinal);

        var watch = await client.UnaryAsync("/grpc.health.v1.Health/Watch", new HealthCheckRequest());
        watch.Failed(GrpcStatusCode.Unimplemented);
    }

    private static string Path(string method) => "/inference.GRPCInferenceService/" + method;

    public void Dispose() => client.Dispose();
}
