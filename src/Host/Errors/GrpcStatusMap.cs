namespace Inference.Host.Errors;

/// <summary>
/// The one table from error kinds to gRPC status codes, beside <see cref="ErrorStatusMap"/>: the same
/// cause gives the same answer on both protocols (e.g. 429 there is RESOURCE_EXHAUSTED here).
/// </summary>
public static class GrpcStatusMap
{
    public static GrpcStatusCode ToGrpcStatus(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidRequest => GrpcStatusCode.InvalidArgument,
        ErrorKind.NotFound => GrpcStatusCode.NotFound,
        ErrorKind.Unavailable => GrpcStatusCode.Unavailable,
        // Over max concurrency and over the message size are both "a resource of the server ran out".
        ErrorKind.PayloadTooLarge => GrpcStatusCode.ResourceExhausted,
        ErrorKind.TooManyRequests => GrpcStatusCode.ResourceExhausted,
        // gRPC answers a wrong content-type with HTTP 415 before any status; a kind that gets here is a bad argument.
        ErrorKind.UnsupportedMediaType => GrpcStatusCode.InvalidArgument,
        ErrorKind.DeadlineExceeded => GrpcStatusCode.DeadlineExceeded,
        ErrorKind.Cancelled => GrpcStatusCode.Cancelled,
        _ => GrpcStatusCode.Internal,
    };
}
