using System.Buffers;
using System.Runtime.CompilerServices;
using Inference.Host.Buffers;
using Inference.Host.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Inference.Host.Transport.Http;

/// <summary>
/// Reads a request body into one pooled pinned buffer. With the binary extension the buffer is offset
/// so that the binary section (after the JSON header) starts 64-byte aligned: the tensors in it are
/// then handed to ORT in place.
/// </summary>
public static class RequestBodyReader
{
    private const int Alignment = 64;

    // When the body is not there yet the await below suspends, and the state machine is boxed: the
    // pooling builder reuses those boxes instead of allocating one per waiting request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<RequestBody> ReadAsync(HttpRequest request, int headerLength, long limit, PinnedBufferPool pool, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared is not null && request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // With a declared length Kestrel counts exactly the body's bytes, and knowing the limit it
            // closes the connection after refusing an oversized body instead of waiting to drain it.
            sizeFeature.MaxRequestBodySize = limit;
        }

        if (declared > limit)
        {
            throw new InferenceException(new InferenceError(ErrorKind.PayloadTooLarge, $"request body of {declared} bytes is over the limit of {limit} bytes (Host:MaxRequestBodyBytes)"));
        }

        var capacity = (int)(declared ?? 16 * 1024) + Alignment;
        var buffer = pool.Rent(capacity);
        try
        {
            var offset = AlignedOffset(buffer, Math.Max(headerLength, 0));
            var length = 0;
            var reader = request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var data = result.Buffer;
                if (data.Length > 0)
                {
                    if (length + data.Length > limit)
                    {
                        throw new InferenceException(new InferenceError(ErrorKind.PayloadTooLarge, $"request body is over the limit of {limit} bytes (Host:MaxRequestBodyBytes)"));
                    }

                    if (offset + length + data.Length > buffer.Length)
                    {
                        buffer = Grow(buffer, pool, offset, length, length + data.Length, headerLength, out offset);
                    }

                    data.CopyTo(buffer.AsSpan(offset + length));
                    length += (int)data.Length;
                }

                reader.AdvanceTo(data.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            return RequestBody.Create(pool, buffer, offset, length);
        }
        catch (BadHttpRequestException e)
        {
            // The client broke the framing or went away mid-body (Kestrel: "Unexpected end of request content").
            pool.Return(buffer);
            throw new InferenceException(InferenceError.Invalid($"could not read the request body: {e.Message}"));
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, PinnedBufferPool pool, int offset, int length, long needed, int headerLength, out int newOffset)
    {
        var bigger = pool.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed * 2, needed + Alignment)));
        newOffset = AlignedOffset(bigger, Math.Max(headerLength, 0));
        buffer.AsSpan(offset, length).CopyTo(bigger.AsSpan(newOffset));
        pool.Return(buffer);
        return bigger;
    }

    /// <summary>The offset at which to put the body so that byte <paramref name="headerLength"/> lands on a 64-byte boundary.</summary>
    private static unsafe int AlignedOffset(byte[] array, int headerLength)
    {
        fixed (byte* start = array)
        {
            var misalignment = (int)(((nint)start + headerLength) % Alignment);
            return (Alignment - misalignment) % Alignment;
        }
    }
}
