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
        ErrorKind.Cancelled => ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
