using Inference.Host.Errors;
using Inference.Host.Protocol.Grpc;
using Inference.Host.Tests.Infrastructure;
using static Inference.Host.Tests.Transport.Grpc.OipGrpcMessages;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>ModelStreamInfer end to end: several requests on one stream, answered in order, a failed one in between.</summary>
[Collection(HostCollection.Name)]
public sealed class ModelStreamInferTests(HostFixture fixture) : IDisposable
{
    private const string Stream = "/inference.GRPCInferenceService/ModelStreamInfer";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly GrpcTestClient client = new(fixture.GrpcAddress);

    [Fact]
    public async Task EachRequestIsAnsweredInOrderAndAFailedOneDoesNotEndTheStream()
    {
        await using var call = GrpcDuplexCall.Start(client, Stream);
        using var timeout = new CancellationTokenSource(Wait);

        // One at a time, each answer read before the next is sent: the stream really is interactive.
        await call.SendAsync(SimpleTyped(a: Enumerable.Repeat(1f, 16).ToArray(), id: "a"));
        var first = await call.ReadAsync(ModelStreamInferResponse.Parser, timeout.Token);
        Assert.Equal("", first!.ErrorMessage);
        Assert.Equal("a", first.InferResponse.Id);
        Assert.Equal(Enumerable.Repeat(2f, 16), first.InferResponse.Outputs[0].Contents.Fp32Contents);

        await call.SendAsync(SimpleTyped(a: [1, 2], id: "bad"));
        await call.SendAsync(SimpleRaw(a: Enumerable.Repeat(5f, 16).ToArray(), id: "c"));
        await call.SendAsync(SimpleTyped(model: "nope", id: "d"));
        call.CompleteRequests();

        var bad = await call.ReadAsync(ModelStreamInferResponse.Parser, timeout.Token);
        Assert.Equal("input 'INPUT0' has shape [1,2] but model 'simple' expects [-1,16] (-1 is any size)", bad!.ErrorMessage);
        Assert.Equal("bad", bad.InferResponse.Id);

        var third = await call.ReadAsync(ModelStreamInferResponse.Parser, timeout.Token);
        Assert.Equal("", third!.ErrorMessage);
        Assert.Equal("c", third.InferResponse.Id);
        Assert.Equal(Enumerable.Repeat(4f, 16), Floats(third.InferResponse.RawOutputContents[1]));

        var fourth = await call.ReadAsync(ModelStreamInferResponse.Parser, timeout.Token);
        Assert.Equal("unknown model 'nope'", fourth!.ErrorMessage);

        Assert.Null(await call.ReadAsync(ModelStreamInferResponse.Parser, timeout.Token));
        Assert.Equal((GrpcStatusCode.OK, null), call.Status());
    }

    [Fact]
    public async Task AStreamClosedWithoutRequestsEndsOk()
    {
        await using var call = GrpcDuplexCall.Start(client, Stream);
        call.CompleteRequests();

        Assert.Null(await call.ReadAsync(ModelStreamInferResponse.Parser, new CancellationTokenSource(Wait).Token));
        Assert.Equal(GrpcStatusCode.OK, call.Status().Status);
    }

    [Fact]
    public async Task TheCallsDeadlineEndsTheStreamWithDeadlineExceeded()
    {
        await using var call = GrpcDuplexCall.Start(client, Stream, [("grpc-timeout", "300m")]);
        await call.SendAsync(SimpleTyped(id: "in time"));
        Assert.Equal("in time", (await call.ReadAsync(ModelStreamInferResponse.Parser, new CancellationTokenSource(Wait).Token))!.InferResponse.Id);

        // The client keeps its side open and sends nothing more: the server ends the call at the deadline.
        Assert.Null(await call.ReadAsync(ModelStreamInferResponse.Parser, new CancellationTokenSource(Wait).Token));
        var (status, message) = call.Status();
        Assert.Equal(GrpcStatusCode.DeadlineExceeded, status);
        Assert.StartsWith("the call's deadline (grpc-timeout 300000 us) passed", message, StringComparison.Ordinal);
    }

    public void Dispose() => client.Dispose();
}
