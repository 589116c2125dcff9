using System.Text.Json;
using Inference.Host.Errors;
using Inference.Host.Protocol.Oip.Messages;
using Microsoft.AspNetCore.Http;

namespace Inference.Host.Transport.Http;

/// <summary>Writes an <see cref="InferenceError"/> as <c>{"error": "..."}</c> with the status its kind maps to.</summary>
public static class HttpErrorWriter
{
    /// <summary>What a refusal beyond max concurrency tells the client to wait before retrying.</summary>
    public const string RetryAfterSeconds = "1";

    public static Task WriteAsync(HttpContext context, InferenceError error)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = ErrorStatusMap.ToHttpStatus(error.Kind);
        if (error.Kind == ErrorKind.PayloadTooLarge)
        {
            // The rest of an oversized body is never read, so the connection cannot be reused: say so.
            context.Response.Headers.Connection = "close";
        }

        else if (error.Kind == ErrorKind.TooManyRequests)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(error.Message), OipJsonContext.Relaxed.ErrorResponse);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
