using System.Net;
using Google.Protobuf;
using Inference.Host.Errors;

namespace Inference.Host.Tests.Transport.Grpc;

/// <summary>What a gRPC call answered: HTTP status, the messages, and the status from the trailers (or the headers, trailers-only).</summary>
public sealed record GrpcReply(HttpStatusCode HttpStatus, string? ContentType, GrpcStatusCode? Status, string? Message, IReadOnlyList<byte[]> Messages, bool TrailersOnly)
{
    public T Single<T>(MessageParser<T> parser)
        where T : IMessage<T>
    {
        Assert.True(Status == GrpcStatusCode.OK, $"the call ended with {Status}: {Message}");
        return parser.ParseFrom(Assert.Single(Messages));
    }

    /// <summary>Asserts the call failed with <paramref name="code"/> and no message, and returns its grpc-message.</summary>
    public string Failed(GrpcStatusCode code)
    {
        Assert.True(Status == code, $"expected {code}, got {Status}: {Message}");
        Assert.Empty(Messages);
        return Message ?? "";
    }
}
