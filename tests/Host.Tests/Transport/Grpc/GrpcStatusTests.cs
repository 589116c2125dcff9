using Inference.Host.Errors;
using Inference.Host.Transport.Grpc;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>Error kinds to gRPC status codes (beside the HTTP table), and grpc-message's percent-encoding.</summary>
public sealed class GrpcStatusTests
{
    [Theory]
    [InlineData(ErrorKind.InvalidRequest, GrpcStatusCode.InvalidArgument, 400)]
    [InlineData(ErrorKind.NotFound, GrpcStatusCode.NotFound, 404)]
    [InlineData(ErrorKind.Unavailable, GrpcStatusCode.Unavailable, 503)]
    [InlineData(ErrorKind.PayloadTooLarge, GrpcStatusCode.ResourceExhausted, 413)]
    [InlineData(ErrorKind.TooManyRequests, GrpcStatusCode.ResourceExhausted, 429)]
    [InlineData(ErrorKind.DeadlineExceeded, GrpcStatusCode.DeadlineExceeded, 408)]
    [InlineData(ErrorKind.Cancelled, GrpcStatusCode.Cancelled, 499)]
    [InlineData(ErrorKind.Internal, GrpcStatusCode.Internal, 500)]
    public void EachCauseHasOneStatusPerProtocol(ErrorKind kind, GrpcStatusCode grpc, int http)
    {
        Assert.Equal(grpc, GrpcStatusMap.ToGrpcStatus(kind));
        Assert.Equal(http, ErrorStatusMap.ToHttpStatus(kind));
    }

    [Fact]
    public void EveryKindIsMapped() =>
        Assert.All(Enum.GetValues<ErrorKind>(), k => Assert.NotEqual(GrpcStatusCode.Unknown, GrpcStatusMap.ToGrpcStatus(k)));

    [Fact]
    public void AStatusFromAnErrorKeepsItsMessage() =>
        Assert.Equal(new GrpcStatus(GrpcStatusCode.NotFound, "unknown model 'x'"), GrpcStatus.From(InferenceError.NotFound("unknown model 'x'")));

    [Theory]
    [InlineData("plain text stays", "plain text stays")]
    [InlineData("100% sure", "100%25 sure")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("modèle", "mod%C3%A8le")]
    public void MessagesArePercentEncodedAndDecodeBack(string text, string encoded)
    {
        Assert.Equal(encoded, GrpcMessageEncoding.Encode(text));
        Assert.Equal(text, GrpcMessageEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("APPLICATION/GRPC", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void TheContentTypeMustBeGrpc(string? contentType, bool grpc) => Assert.Equal(grpc, GrpcProtocol.IsGrpcContentType(contentType));
}
