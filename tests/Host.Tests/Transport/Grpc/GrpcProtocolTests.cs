using System.Net;
using Google.Protobuf;
using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Tests.Infrastructure;
using static Inference.Host.Tests.Transport.Grpc.OipGrpcMessages;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>What the gRPC port says to calls that are not well-formed gRPC, and that the two ports stay apart.</summary>
[Collection(HostCollection.Name)]
public sealed class GrpcProtocolTests(HostFixture fixture) : IDisposable
{
    private const string Infer = "/inference.GRPCInferenceService/ModelInfer";

    private readonly GrpcTestClient client = new(fixture.GrpcAddress);

    [Fact]
    public async Task AWrongContentTypeIsHttp415()
    {
        var reply = await client.SendAsync(Infer, GrpcTestClient.Frame(SimpleTyped()), contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.HttpStatus);
        Assert.Equal("content-type 'application/json' is not application/grpc", reply.Message);
    }

    [Fact]
    public async Task AGrpcPlusProtoContentTypeIsServed()
    {
        var reply = await client.SendAsync(Infer, GrpcTestClient.Frame(SimpleTyped()), contentType: "application/grpc+proto");

        Assert.Equal(GrpcStatusCode.OK, reply.Status);
        Assert.Equal("application/grpc", reply.ContentType);
        Assert.False(reply.TrailersOnly);
    }

    [Fact]
    public async Task AnUnknownMethodIsUnimplementedInTrailersOnly()
    {
        var reply = await client.UnaryAsync("/inference.GRPCInferenceService/RepositoryIndex", new ServerLiveRequest());

        Assert.Equal(HttpStatusCode.OK, reply.HttpStatus);
        Assert.True(reply.TrailersOnly);
        Assert.StartsWith("no method '/inference.GRPCInferenceService/RepositoryIndex' here", reply.Failed(GrpcStatusCode.Unimplemented), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACompressedMessageIsUnimplementedNamingTheEncoding()
    {
        var reply = await client.SendAsync(Infer, GrpcTestClient.Frame(SimpleTyped(), compressedFlag: 1), headers: [("grpc-encoding", "gzip")]);

        Assert.Equal("grpc-encoding 'gzip' is not supported; send messages uncompressed (supported: identity)", reply.Failed(GrpcStatusCode.Unimplemented));
    }

    [Fact]
    public async Task ACompressedFlagWithoutAnEncodingIsInternal()
    {
        var reply = await client.SendAsync(Infer, GrpcTestClient.Frame(SimpleTyped(), compressedFlag: 1));

        Assert.Contains("marked compressed", reply.Failed(GrpcStatusCode.Internal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageOverTheLimitIsResourceExhaustedNamingTheLimit()
    {
        // The fixture's body limit (1 MiB) is the gRPC message limit too; only the 5-byte prefix needs to be read.
        var request = SimpleRaw();
        request.RawInputContents[0] = ByteString.CopyFrom(new byte[HostFixture.BodyLimit + 1]);

        var reply = await client.UnaryAsync(Infer, request);

        var message = reply.Failed(GrpcStatusCode.ResourceExhausted);
        Assert.Matches(@"^the request message is \d+ bytes, over the limit of 1048576 bytes \(Host:GrpcMaxMessageBytes\)$", message);
    }

    [Fact]
    public async Task AMessageCutOffIsInternal()
    {
        var framed = GrpcTestClient.Frame(SimpleTyped());

        var reply = await client.SendAsync(Infer, framed[..^3]);

        Assert.Contains("the request ended inside a message", reply.Failed(GrpcStatusCode.Internal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoMessagesToAUnaryMethodAreInternal()
    {
        var framed = GrpcTestClient.Frame(new ServerLiveRequest());

        var reply = await client.SendAsync("/inference.GRPCInferenceService/ServerLive", [.. framed, .. framed]);

        Assert.Equal("the request of a unary call has more than one message", reply.Failed(GrpcStatusCode.Internal));
    }

    [Fact]
    public async Task AMalformedTimeoutIsInvalidArgumentNamingIt()
    {
        var reply = await client.UnaryAsync(Infer, SimpleTyped(), headers: [("grpc-timeout", "soon")]);

        Assert.StartsWith("grpc-timeout 'soon' is not", reply.Failed(GrpcStatusCode.InvalidArgument), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonAsciiMessageIsPercentEncodedAndDecodes()
    {
        var reply = await client.UnaryAsync(Infer, SimpleTyped(model: "mödel\nnext"));

        Assert.Equal("unknown model 'mödel\nnext'", reply.Failed(GrpcStatusCode.NotFound));
    }

    [Fact]
    public async Task ThePortsStayApart()
    {
        // The HTTP port has no gRPC paths; the gRPC port has no REST routes.
        using var http = await fixture.Client.PostAsync(Infer, new ByteArrayContent(GrpcTestClient.Frame(SimpleTyped())));
        Assert.Equal(HttpStatusCode.NotFound, http.StatusCode);

        var rest = await client.SendAsync("/v2/health/live", []);
        Assert.Equal(GrpcStatusCode.Unimplemented, rest.Status);
    }

    public void Dispose() => client.Dispose();
}
