using Microsoft.AspNetCore.Http;

namespace Inference.Host.Errors;

/// <summary>The one table from error kinds to HTTP status codes.</summary>
public static class ErrorStatusMap
{
    public const int ClientClosedRequest = 499;

    public static int ToHttpStatus(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidRequest => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        // Not a 5xx: the host is healthy, the request asked for less time than the work needs.
        ErrorKind.DeadlineExceeded => StatusCodes.Status408RequestTimeout,
        ErrorKind.Cancelled => ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
