namespace Inference.Host.Errors;

/// <summary>Why a request failed; <see cref="ErrorStatusMap"/> turns each into a status code.</summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or does not fit the model (400).</summary>
    InvalidRequest,

    /// <summary>The model or version does not exist (404).</summary>
    NotFound,

    /// <summary>The model exists but is not ready to serve (503).</summary>
    Unavailable,

    /// <summary>The body is larger than the configured limit (413).</summary>
    PayloadTooLarge,

    /// <summary>The content type is not one we read (415).</summary>
    UnsupportedMediaType,

    /// <summary>The model is at its max concurrency (running + queued): refused at once (429 with Retry-After).</summary>
    TooManyRequests,

    /// <summary>The request's deadline passed before it was answered; queued requests never ran (408).</summary>
    DeadlineExceeded,

    /// <summary>The client went away or the request was cancelled (499, never seen by that client).</summary>
    Cancelled,

    /// <summary>ONNX Runtime or the host failed while running (500).</summary>
    Internal,
}
