namespace Inference.Host.Errors;

/// <summary>An error as a value: what kind it is (which decides the status) and a message naming what was wrong.</summary>
public sealed record InferenceError(ErrorKind Kind, string Message)
{
    public static InferenceError Invalid(string message) => new(ErrorKind.InvalidRequest, message);

    public static InferenceError NotFound(string message) => new(ErrorKind.NotFound, message);

    public static InferenceError Unavailable(string message) => new(ErrorKind.Unavailable, message);

    public static InferenceError Internal(string message) => new(ErrorKind.Internal, message);
}
