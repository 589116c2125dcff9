namespace Inference.Host.Transport.Grpc;

/// <summary>gRPC over HTTP/2's names and sizes (PROTOCOL-HTTP2.md).</summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusName = "grpc-status";
    public const string MessageName = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string IdentityEncoding = "identity";

    /// <summary>Each message's prefix: a 1-byte compressed flag and a 4-byte big-endian length.</summary>
    public const int MessagePrefixSize = 5;

    /// <summary>
    /// <c>application/grpc</c>, alone or with a <c>+format</c> or parameters after it
    /// (<c>application/grpc+proto</c>, <c>application/grpc; charset=...</c>); the spec's 415 rule is a prefix test.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null
        && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';');
}
