namespace Inference.Host.Transport.Grpc;

/// <summary>One RPC: the path it is called on and how a call is served.</summary>
public interface IGrpcMethod
{
    /// <summary>The HTTP/2 path, <c>/{package}.{Service}/{Method}</c>.</summary>
    string Path { get; }

    /// <summary>
    /// Serves one call: reads its request message(s), writes its response message(s) and returns the
    /// status that ends it. A <see cref="GrpcException"/> ends it with that exception's status.
    /// </summary>
    ValueTask<GrpcStatus> HandleAsync(GrpcCall call);
}
